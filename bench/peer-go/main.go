// Command peer-go is the Go peer of `make bench` (issue 18, docs/performance.md): the order saga of the
// Temporal overview — create → pay → reserve → confirm, compensations in reverse on failure — written with the
// Go SDK, with activities that do nothing. It is only a worker: the Java harness (SagaBenchmark) starts the
// sagas by type name on this worker's task queue, exactly as it starts them on ours, so both contenders are
// measured by the same load driver.
//
// It speaks the platform's contract (contracts.md#order-saga): workflow type OrderSagaWorkflow, activity
// names CreateOrder … CancelOrder, snake_case JSON payloads, the same timeouts and retry policies as
// SagaActivityOptions, so the server sees the same command sequence, apart from our saga's version marker.
//
// Environment: TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE (default orders),
// TEMPORAL_TASK_QUEUE (required), MANAGEMENT_PORT (default 0 = none): GET /readyz answers 200 once the worker
// polls. SIGTERM or SIGINT stops it.
package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// WorkflowType is the contract's name of the saga (OrderSagaWorkflow.WORKFLOW_TYPE).
const WorkflowType = "OrderSagaWorkflow"

// PlaceOrder is the saga's input (schema place-order/v1.json).
type PlaceOrder struct {
	OrderID       string        `json:"order_id"`
	CustomerID    string        `json:"customer_id"`
	Lines         []OrderLine   `json:"lines"`
	Currency      string        `json:"currency"`
	PaymentMethod PaymentMethod `json:"payment_method"`
}

type OrderLine struct {
	SKU            string `json:"sku"`
	Quantity       int    `json:"quantity"`
	UnitPriceCents int64  `json:"unit_price_cents"`
}

type PaymentMethod struct {
	Type  string `json:"type"`
	Token string `json:"token"`
}

func (o PlaceOrder) totalCents() int64 {
	var total int64
	for _, l := range o.Lines {
		total += int64(l.Quantity) * l.UnitPriceCents
	}
	return total
}

type OrderCreated struct {
	OrderID    string `json:"order_id"`
	TotalCents int64  `json:"total_cents"`
}

type ChargePayment struct {
	OrderID       string        `json:"order_id"`
	CustomerID    string        `json:"customer_id"`
	AmountCents   int64         `json:"amount_cents"`
	Currency      string        `json:"currency"`
	PaymentMethod PaymentMethod `json:"payment_method"`
}

type PaymentReceipt struct {
	OrderID     string `json:"order_id"`
	PaymentID   string `json:"payment_id"`
	AmountCents int64  `json:"amount_cents"`
	Currency    string `json:"currency"`
}

type ReserveInventory struct {
	OrderID string      `json:"order_id"`
	Lines   []OrderLine `json:"lines"`
}

type InventoryReservation struct {
	OrderID       string `json:"order_id"`
	ReservationID string `json:"reservation_id"`
}

type SendConfirmation struct {
	OrderID       string `json:"order_id"`
	CustomerID    string `json:"customer_id"`
	PaymentID     string `json:"payment_id"`
	ReservationID string `json:"reservation_id"`
}

type ConfirmationSent struct {
	OrderID   string `json:"order_id"`
	MessageID string `json:"message_id"`
}

// Compensation is the input of RefundPayment, ReleaseInventory and CancelOrder (their fields, merged).
type Compensation struct {
	OrderID     string `json:"order_id"`
	AmountCents int64  `json:"amount_cents,omitempty"`
	Currency    string `json:"currency,omitempty"`
	Reason      string `json:"reason"`
}

type CompensationResult struct {
	OrderID string `json:"order_id"`
	Step    string `json:"step"`
	Applied bool   `json:"applied"`
}

// OrderResult is the saga's result (schema order-result/v1.json).
type OrderResult struct {
	OrderID          string   `json:"order_id"`
	Outcome          string   `json:"outcome"`
	TotalCents       int64    `json:"total_cents"`
	PaymentID        string   `json:"payment_id,omitempty"`
	ReservationID    string   `json:"reservation_id,omitempty"`
	CompensationsRun []string `json:"compensations_run"`
	Reason           string   `json:"reason,omitempty"`
}

// businessFailures are never retried (BusinessFailure.types() of the Java worker).
var businessFailures = []string{
	"InvalidOrder", "OrderConflict", "OrderClosed", "InsufficientFunds", "PaymentDeclined", "PaymentVoided",
	"RefundRejected", "OutOfStock", "UnknownSku", "ReservationReleased", "OrderLimitExceeded",
}

func retry(maximumInterval time.Duration) *temporal.RetryPolicy {
	return &temporal.RetryPolicy{
		InitialInterval:        time.Second,
		BackoffCoefficient:     2,
		MaximumInterval:        maximumInterval,
		NonRetryableErrorTypes: businessFailures,
	}
}

// The options of SagaActivityOptions, step by step.
var (
	forward = workflow.ActivityOptions{
		StartToCloseTimeout:    10 * time.Second,
		ScheduleToCloseTimeout: 10 * time.Minute,
		WaitForCancellation:    true,
		RetryPolicy:            retry(30 * time.Second),
	}
	undo = workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         retry(time.Minute),
	}
)

func withTimeouts(o workflow.ActivityOptions, startToClose, scheduleToClose time.Duration) workflow.ActivityOptions {
	o.StartToCloseTimeout = startToClose
	o.ScheduleToCloseTimeout = scheduleToClose
	return o
}

type compensation struct {
	step     string
	activity string
	input    Compensation
}

// OrderSaga registers each compensation before its step and, when a step fails, runs the registered ones in
// reverse order in a disconnected context (a cancellation of the workflow cannot interrupt them).
func OrderSaga(ctx workflow.Context, order PlaceOrder) (OrderResult, error) {
	result := OrderResult{OrderID: order.OrderID, Outcome: "IN_PROGRESS", CompensationsRun: []string{}}
	var compensations []compensation

	fail := func(step string, cause error) (OrderResult, error) {
		reason := fmt.Sprintf("%s failed: %v", step, cause)
		undoCtx, _ := workflow.NewDisconnectedContext(ctx)
		for i := len(compensations) - 1; i >= 0; i-- {
			c := compensations[i]
			c.input.Reason = reason
			opts := undo
			if c.activity == "RefundPayment" {
				opts = withTimeouts(undo, 15*time.Second, 0)
			}
			var done CompensationResult
			if err := workflow.ExecuteActivity(workflow.WithActivityOptions(undoCtx, opts), c.activity, c.input).
				Get(undoCtx, &done); err != nil {
				workflow.GetLogger(ctx).Warn("compensation failed for good", "step", c.step, "error", err)
				continue
			}
			result.CompensationsRun = append(result.CompensationsRun, c.step)
		}
		result.Outcome = "FAILED"
		result.Reason = reason
		return result, temporal.NewNonRetryableApplicationError(
			"order "+order.OrderID+" failed: "+reason, "STEP_UNAVAILABLE", cause, result)
	}
	run := func(opts workflow.ActivityOptions, activity string, input, output any) error {
		return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), activity, input).Get(ctx, output)
	}

	compensations = append(compensations, compensation{"CANCEL_ORDER", "CancelOrder", Compensation{OrderID: order.OrderID}})
	var created OrderCreated
	if err := run(forward, "CreateOrder", order, &created); err != nil {
		return fail("CREATE_ORDER", err)
	}
	result.TotalCents = created.TotalCents

	compensations = append(compensations, compensation{"REFUND_PAYMENT", "RefundPayment",
		Compensation{OrderID: order.OrderID, AmountCents: created.TotalCents, Currency: order.Currency}})
	var receipt PaymentReceipt
	charge := ChargePayment{order.OrderID, order.CustomerID, created.TotalCents, order.Currency, order.PaymentMethod}
	if err := run(withTimeouts(forward, 15*time.Second, forward.ScheduleToCloseTimeout), "ChargePayment", charge, &receipt); err != nil {
		return fail("CHARGE_PAYMENT", err)
	}
	result.PaymentID = receipt.PaymentID

	compensations = append(compensations, compensation{"RELEASE_INVENTORY", "ReleaseInventory", Compensation{OrderID: order.OrderID}})
	var reservation InventoryReservation
	if err := run(forward, "ReserveInventory", ReserveInventory{order.OrderID, order.Lines}, &reservation); err != nil {
		return fail("RESERVE_INVENTORY", err)
	}
	result.ReservationID = reservation.ReservationID

	// The point of no return: no schedule-to-close deadline, no compensation.
	var sent ConfirmationSent
	confirmCtx, _ := workflow.NewDisconnectedContext(ctx)
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(confirmCtx, withTimeouts(forward, 10*time.Second, 0)),
		"SendConfirmation", SendConfirmation{order.OrderID, order.CustomerID, receipt.PaymentID, reservation.ReservationID}).
		Get(confirmCtx, &sent)
	if err != nil {
		return fail("SEND_CONFIRMATION", err)
	}
	result.Outcome = "COMPLETED"
	return result, nil
}

// Activities do nothing but answer: the peer measures what the SDK and the server cost, not a database.
type Activities struct{}

func (Activities) CreateOrder(_ context.Context, o PlaceOrder) (OrderCreated, error) {
	return OrderCreated{o.OrderID, o.totalCents()}, nil
}

func (Activities) ChargePayment(_ context.Context, c ChargePayment) (PaymentReceipt, error) {
	return PaymentReceipt{c.OrderID, "pay_" + c.OrderID, c.AmountCents, c.Currency}, nil
}

func (Activities) ReserveInventory(_ context.Context, r ReserveInventory) (InventoryReservation, error) {
	return InventoryReservation{r.OrderID, "res_" + r.OrderID}, nil
}

func (Activities) SendConfirmation(_ context.Context, s SendConfirmation) (ConfirmationSent, error) {
	return ConfirmationSent{s.OrderID, "msg_" + s.OrderID}, nil
}

func (Activities) RefundPayment(_ context.Context, c Compensation) (CompensationResult, error) {
	return CompensationResult{c.OrderID, "REFUND_PAYMENT", true}, nil
}

func (Activities) ReleaseInventory(_ context.Context, c Compensation) (CompensationResult, error) {
	return CompensationResult{c.OrderID, "RELEASE_INVENTORY", true}, nil
}

func (Activities) CancelOrder(_ context.Context, c Compensation) (CompensationResult, error) {
	return CompensationResult{c.OrderID, "CANCEL_ORDER", true}, nil
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func main() {
	taskQueue := os.Getenv("TEMPORAL_TASK_QUEUE")
	if taskQueue == "" {
		log.Fatal("peer-go: TEMPORAL_TASK_QUEUE is not set; it names the task queue the saga worker polls")
	}
	c, err := client.Dial(client.Options{
		HostPort:  env("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		Namespace: env("TEMPORAL_NAMESPACE", "orders"),
	})
	if err != nil {
		log.Fatalf("peer-go: cannot connect to Temporal: %v", err)
	}
	defer c.Close()

	// The SDK's default worker options, as the Java worker keeps the Java SDK's defaults.
	w := worker.New(c, taskQueue, worker.Options{})
	w.RegisterWorkflowWithOptions(OrderSaga, workflow.RegisterOptions{Name: WorkflowType})
	w.RegisterActivity(&Activities{})
	if err := w.Start(); err != nil {
		log.Fatalf("peer-go: worker did not start: %v", err)
	}
	if port := env("MANAGEMENT_PORT", "0"); port != "0" {
		mux := http.NewServeMux()
		mux.HandleFunc("/readyz", func(rw http.ResponseWriter, _ *http.Request) { rw.WriteHeader(http.StatusOK) })
		listener, err := net.Listen("tcp", "127.0.0.1:"+port)
		if err != nil {
			log.Fatalf("peer-go: MANAGEMENT_PORT %s: %v", port, err)
		}
		go func() { _ = http.Serve(listener, mux) }()
	}
	log.Printf("peer-go: polling task queue %s", taskQueue)
	<-worker.InterruptCh()
	w.Stop()
}
