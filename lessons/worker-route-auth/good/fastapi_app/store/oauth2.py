from authlib.oauth2 import AuthorizationServer as _AuthorizationServer
from fastapi import APIRouter, Depends, Request, Response

router = APIRouter(prefix="/oauth2")


class AuthorizationServer(_AuthorizationServer):
    """Grants and endpoints are registered at start-up; authlib authenticates the client
    (client_secret_basic, client_secret_post, private_key_jwt) before it answers."""


def get_server() -> AuthorizationServer:
    return AuthorizationServer()


@router.post("/token")
def token(request: Request, server: AuthorizationServer = Depends(get_server)) -> Response:
    return server.create_token_response(request)


@router.post("/revoke")
def revoke(request: Request, server: AuthorizationServer = Depends(get_server)) -> Response:
    return server.create_endpoint_response("revocation", request)


@router.post("/introspect")
def introspect(request: Request, server: AuthorizationServer = Depends(get_server)) -> Response:
    return server.create_endpoint_response("introspection", request)
