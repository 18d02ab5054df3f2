package main

import (
	"log"
	"net/http"
	"os"

	"github.com/nats-io/nats.go"
	"github.com/redis/go-redis/v9"
	"github.com/stripe/stripe-go/v79"

	"example.com/pulsecart/orders"
)

func main() {
	stripe.Key = os.Getenv("STRIPE_SECRET_KEY")
	nc, err := nats.Connect(os.Getenv("NATS_URL"))
	if err != nil {
		log.Fatal(err)
	}
	svc := &orders.Service{
		Redis: redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")}),
		NATS:  nc,
		Store: nil, // wired to Postgres in the real service
	}
	http.HandleFunc("POST /v1/orders", svc.Create)
	log.Fatal(http.ListenAndServe(":8081", nil))
}
