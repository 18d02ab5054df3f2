//go:build e2e

package e2e

import (
	"bytes"
	"net/http"
	"os"
	"testing"
)

// postOrder sends the same order with the same key every time it is called, on every run.
func postOrder(t *testing.T) int {
	t.Helper()
	body := []byte(`{"customer_id":"cus_e2e","amount_cents":1299}`)
	req, err := http.NewRequest(http.MethodPost, os.Getenv("GATEWAY_URL")+"/v1/orders", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "e2e-order-0001")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode
}

// The Redis claim left by yesterday's run answers today's first request with 409: the test
// fails although the service is right.
func TestDuplicateOrderIsRejected(t *testing.T) {
	if got := postOrder(t); got != http.StatusCreated {
		t.Fatalf("first request: got %d, want 201", got)
	}
	if got := postOrder(t); got != http.StatusConflict {
		t.Fatalf("duplicate request: got %d, want 409", got)
	}
}
