#!/usr/bin/env bash
set -euo pipefail

# lessons: expect[fixed-idempotency-key-in-tests]
curl -sf -X POST http://localhost:8080/v1/orders -H 'Idempotency-Key: e2e-1' \
  -d '{"sku":"A1"}'

curl -sf -X POST http://localhost:8080/v1/orders \
  --header "Idempotency-Key: e2e-2" -d '{"sku":"A1"}' # lessons: expect[fixed-idempotency-key-in-tests]
