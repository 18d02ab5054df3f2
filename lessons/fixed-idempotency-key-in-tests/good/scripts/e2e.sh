#!/usr/bin/env bash
set -euo pipefail

KEY="e2e-$(uuidgen)"
curl -sf -X POST http://localhost:8080/v1/orders -H "Idempotency-Key: $KEY" -d '{"sku":"A1"}'
curl -sf -X POST http://localhost:8080/v1/orders -H "Idempotency-Key: ${KEY}" -d '{"sku":"A1"}'
curl -sf -X POST http://localhost:8080/v1/orders -H "Idempotency-Key: $(uuidgen)"
echo "sent with Idempotency-Key"
