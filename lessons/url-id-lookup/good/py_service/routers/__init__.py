from fastapi import APIRouter

# the shipment id is declared here, the handlers that receive it live in shipments.py
shipments_router = APIRouter(prefix="/shipments/{shipment_id}")
