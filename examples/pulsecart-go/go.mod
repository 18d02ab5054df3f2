module example.com/pulsecart

go 1.22

require (
	github.com/nats-io/nats.go v1.37.0
	github.com/redis/go-redis/v9 v9.6.1
	github.com/stripe/stripe-go/v79 v79.12.0
)
