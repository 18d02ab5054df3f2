package svc

import (
	"net/http"
	"testing"

	"github.com/google/uuid"
)

func TestCreateOrder(t *testing.T) {
	req, _ := http.NewRequest("POST", "/v1/orders", nil)
	req.Header.Set("Idempotency-Key", uuid.NewString())
	req.Header.Set("X-Request-Id", "fixed")
	key := "order-" + uuid.NewString()
	params := CreateParams{SKU: "A1", IdempotencyKey: key}
	_ = params
}
