package svc

import (
	"net/http"
	"testing"
)

func TestCreateOrder(t *testing.T) {
	req, _ := http.NewRequest("POST", "/v1/orders", nil)
	req.Header.Set("Idempotency-Key", "test-key-1") // lessons: expect[fixed-idempotency-key-in-tests]
	_ = req
}

func TestClient(t *testing.T) {
	params := CreateParams{
		SKU:            "A1",
		IdempotencyKey: `fixed`, // lessons: expect[fixed-idempotency-key-in-tests]
	}
	_ = params
}
