from fastapi import APIRouter

from py_service.deps import OrgAccess

router = APIRouter(prefix="/orgs")


@router.get("/{org_id}/members")
def members(org: OrgAccess) -> list[str]:
    # the factory's dependency read `org_id` and loaded the organisation
    return [member.email for member in org.members]
