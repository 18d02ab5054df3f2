package worker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// Notifier calls the notifications service; every call is one message to the customer.
type Notifier struct {
	BaseURL string
}

type notification struct {
	OrderID    string `json:"order_id"`
	CustomerID string `json:"customer_id"`
	Template   string `json:"template"`
}

func (n *Notifier) OrderConfirmed(orderID, customerID string) error {
	body, _ := json.Marshal(notification{OrderID: orderID, CustomerID: customerID, Template: "order-confirmed"})
	resp, err := http.Post(n.BaseURL+"/v1/notify", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("notify: status %d", resp.StatusCode)
	}
	return nil
}
