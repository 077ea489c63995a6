// A client of the bp-temporal workers written with the Go SDK from the module proxy, from docs/contracts.md and
// the JSON Schemas alone (no project code): the happy path, signals and queries of every workflow, then every
// malformed payload of ../cases.json, sent as raw JSON bytes — each must end within seconds as the documented
// typed failure naming the field, never stuck, never completed with a changed value, never with an effect (no
// activity ever scheduled).
//
//	TEMPORAL_ADDRESS      frontend, default 127.0.0.1:7233 (make run)
//	POLY_RUN              unique token of this run (ids are built from it), default: the current time
//	POLY_PIPELINE_TABLE   table for the pipeline's happy path, default demo_customers (make run's pipeline demo)
//	POLY_TIMEOUT_SECONDS  how long one workflow may take before it counts as stuck, default 60
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
)

type target struct{ namespace, taskQueue string }

var (
	orders     = target{"orders", "orders-tq"}
	pipelines  = target{"pipelines", "pipelines-tq"}
	activities = target{"pipelines", "activities-tq"}
	targets    = map[string]target{
		"OrderSagaWorkflow":    orders,
		"DataPipelineWorkflow": pipelines,
		"RunActivityWorkflow":  activities,
	}
)

type testCase struct {
	Name       string          `json:"name"`
	Workflow   string          `json:"workflow"`
	WorkflowID string          `json:"workflow_id"`
	Input      json.RawMessage `json:"input"`
	Raw        *string         `json:"raw"`
	Expect     struct {
		Code  string   `json:"code"`
		Paths []string `json:"paths"`
	} `json:"expect"`
}

type caseFile struct {
	Valid struct {
		Order    json.RawMessage `json:"order"`
		Pipeline json.RawMessage `json:"pipeline"`
		Run      json.RawMessage `json:"run"`
	} `json:"valid"`
	MalformedSignals []struct {
		Name   string          `json:"name"`
		Signal json.RawMessage `json:"signal"`
	} `json:"malformed_signals"`
	Cases []testCase `json:"cases"`
}

// failureDetails is failure-details/v1.json.
type failureDetails struct {
	Code       string `json:"code"`
	Message    string `json:"message"`
	Violations []struct {
		Path     string `json:"path"`
		Message  string `json:"message"`
		Accepted string `json:"accepted"`
		Found    string `json:"found"`
	} `json:"violations"`
	Context map[string]any `json:"context"`
}

type suite struct {
	clients   map[string]client.Client
	run       string
	table     string
	timeout   time.Duration
	mu        sync.Mutex
	timeIndex int
	base      time.Time
	passed    int
	failed    int
	payloads  int
	typed     int
	stuck     int
	changed   int
	effects   int
	wrong     int
	dropped   int
	slowest   time.Duration
}

func (s *suite) check(name string, ok bool, why string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ok {
		s.passed++
		fmt.Printf("ok - %s\n", name)
	} else {
		s.failed++
		fmt.Printf("not ok - %s: %s\n", name, why)
	}
}

func (s *suite) nextTime() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.base.Add(time.Duration(s.timeIndex) * time.Second)
	s.timeIndex++
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

func (s *suite) fill(template string, id, at string) string {
	r := strings.NewReplacer("{{id}}", id, "{{time}}", at, "{{table}}", s.table)
	return r.Replace(template)
}

// outcome of one workflow run.
type outcome struct {
	completed bool
	stuck     bool
	result    map[string]any
	failure   *temporal.ApplicationError
	err       error
	details   failureDetails
	elapsed   time.Duration
}

func (o outcome) String() string {
	switch {
	case o.stuck:
		return "no outcome within the timeout"
	case o.completed:
		b, _ := json.Marshal(o.result)
		return "completed with " + string(b)
	case o.failure != nil:
		return fmt.Sprintf("failed: %s: %s", o.failure.Type(), o.failure.Message())
	default:
		return fmt.Sprintf("failed: %v", o.err)
	}
}

func (s *suite) await(c client.Client, run client.WorkflowRun) outcome {
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	var result map[string]any
	err := run.Get(ctx, &result)
	o := outcome{elapsed: time.Since(started)}
	if err == nil {
		o.completed, o.result = true, result
		return o
	}
	if ctx.Err() != nil {
		o.stuck = true
		_ = c.TerminateWorkflow(context.Background(), run.GetID(), run.GetRunID(), "polyglot contract test: no outcome within the timeout")
		return o
	}
	o.err = err
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		o.failure = app
		if app.HasDetails() {
			_ = app.Details(&o.details)
		}
	}
	return o
}

// activitiesScheduled counts ActivityTaskScheduled events: a rejected payload must have none.
func activitiesScheduled(c client.Client, run client.WorkflowRun) (int, error) {
	iter := c.GetWorkflowHistory(context.Background(), run.GetID(), run.GetRunID(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	n := 0
	for iter.HasNext() {
		event, err := iter.Next()
		if err != nil {
			return 0, err
		}
		if event.GetEventType() == enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED {
			n++
		}
	}
	return n, nil
}

func (s *suite) start(workflow, id string, input json.RawMessage) (client.Client, client.WorkflowRun, error) {
	t := targets[workflow]
	c := s.clients[t.namespace]
	run, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: id, TaskQueue: t.taskQueue}, workflow, input)
	return c, run, err
}

func (s *suite) malformed(index int, tc testCase) {
	id := fmt.Sprintf("poly-go-%s-m%d", s.run, index)
	at := s.nextTime()
	var input json.RawMessage
	if tc.Raw != nil {
		input = json.RawMessage(s.fill(*tc.Raw, id, at))
	} else {
		input = json.RawMessage(s.fill(string(tc.Input), id, at))
	}
	workflowID := tc.WorkflowID
	if workflowID == "" {
		switch tc.Workflow {
		case "OrderSagaWorkflow":
			workflowID = "order:{{id}}"
		case "DataPipelineWorkflow":
			workflowID = "pipeline:{{id}}"
		default:
			workflowID = "demo-tick-every-minute:{{time}}"
		}
	}
	workflowID = s.fill(workflowID, id, at)
	name := tc.Workflow + ": " + tc.Name
	s.mu.Lock()
	s.payloads++
	s.mu.Unlock()
	c, run, err := s.start(tc.Workflow, workflowID, input)
	if err != nil {
		s.check(name, false, "start: "+err.Error())
		return
	}
	o := s.await(c, run)
	s.mu.Lock()
	if o.elapsed > s.slowest {
		s.slowest = o.elapsed
	}
	s.mu.Unlock()
	if o.stuck {
		s.mu.Lock()
		s.stuck++
		s.mu.Unlock()
		s.check(name, false, o.String())
		return
	}
	if o.completed {
		s.mu.Lock()
		s.changed++
		s.mu.Unlock()
		s.check(name, false, "accepted and silently changed: "+o.String())
		return
	}
	paths := map[string]bool{}
	for _, v := range o.details.Violations {
		paths[v.Path] = true
	}
	var missing []string
	for _, p := range tc.Expect.Paths {
		if !paths[p] {
			missing = append(missing, p)
		}
	}
	scheduled, err := activitiesScheduled(c, run)
	if err != nil {
		s.check(name, false, "history: "+err.Error())
		return
	}
	typed := o.failure != nil && o.failure.Type() == tc.Expect.Code && o.details.Code == tc.Expect.Code &&
		o.failure.NonRetryable() && len(missing) == 0
	s.mu.Lock()
	if typed {
		s.typed++
	} else {
		s.wrong++
	}
	if scheduled > 0 {
		s.effects++
	}
	s.mu.Unlock()
	details, _ := json.Marshal(o.details)
	s.check(name, typed && scheduled == 0, fmt.Sprintf("%s; details %s; expected %s naming %v (missing %v); %d activities scheduled",
		o, details, tc.Expect.Code, tc.Expect.Paths, missing, scheduled))
}

func (s *suite) happyPaths(cases caseFile) {
	orderOf := func(id string) json.RawMessage { return json.RawMessage(s.fill(string(cases.Valid.Order), id, "")) }
	oc := s.clients["orders"]
	opts := func(id string) client.StartWorkflowOptions {
		return client.StartWorkflowOptions{ID: "order:" + id, TaskQueue: orders.taskQueue}
	}

	// 1. An order is placed: the result, then the status query on the closed workflow.
	okID := fmt.Sprintf("poly-go-%s-ok", s.run)
	run, err := oc.ExecuteWorkflow(context.Background(), opts(okID), "OrderSagaWorkflow", orderOf(okID))
	if err != nil {
		s.check("OrderSagaWorkflow: a valid order completes", false, err.Error())
		return
	}
	o := s.await(oc, run)
	s.check("OrderSagaWorkflow: a valid order completes", o.completed && o.result["outcome"] == "COMPLETED" &&
		o.result["total_cents"] == float64(3048), o.String())
	var status map[string]any
	value, err := oc.QueryWorkflow(context.Background(), "order:"+okID, "", "status")
	if err == nil {
		err = value.Get(&status)
	}
	steps, _ := status["completed_steps"].([]any)
	s.check("OrderSagaWorkflow: status query", err == nil && status["outcome"] == "COMPLETED" && len(steps) == 4,
		fmt.Sprintf("%v %v", status, err))

	// 2. The cancel signal, sent with the start so that it arrives before the first step.
	cancelID := fmt.Sprintf("poly-go-%s-cancel", s.run)
	run, err = oc.SignalWithStartWorkflow(context.Background(), "order:"+cancelID, "cancel",
		map[string]string{"reason": "customer request"}, opts(cancelID), "OrderSagaWorkflow", orderOf(cancelID))
	if err == nil {
		o = s.await(oc, run)
	}
	s.check("OrderSagaWorkflow: cancel signal ends the saga as ORDER_CANCELLED", err == nil && o.failure != nil &&
		o.failure.Type() == "ORDER_CANCELLED" && o.details.Context["outcome"] == "CANCELLED" &&
		o.details.Context["reason"] == "customer request", fmt.Sprintf("%s %+v %v", o, o.details, err))

	// 3. A business refusal is a typed failure with the order's result as context.
	declinedID := fmt.Sprintf("poly-go-%s-declined", s.run)
	declined := strings.Replace(string(orderOf(declinedID)), "tok_visa_4242", "tok_declined", 1)
	run, err = oc.ExecuteWorkflow(context.Background(), opts(declinedID), "OrderSagaWorkflow", json.RawMessage(declined))
	if err == nil {
		o = s.await(oc, run)
	}
	compensations, _ := json.Marshal(o.details.Context["compensations_run"])
	s.check("OrderSagaWorkflow: a declined payment is PAYMENT_DECLINED with compensations", err == nil &&
		o.failure != nil && o.failure.Type() == "PAYMENT_DECLINED" && o.details.Code == "PAYMENT_DECLINED" &&
		string(compensations) == `["CANCEL_ORDER"]`, fmt.Sprintf("%s %+v %v", o, o.details, err))

	// 4. Malformed signals are dropped; the healthy saga they were sent to completes unchanged.
	for i, signal := range cases.MalformedSignals {
		sid := fmt.Sprintf("poly-go-%s-s%d", s.run, i)
		s.payloads++
		run, err = oc.SignalWithStartWorkflow(context.Background(), "order:"+sid, "cancel", signal.Signal, opts(sid),
			"OrderSagaWorkflow", orderOf(sid))
		name := fmt.Sprintf("OrderSagaWorkflow: malformed signal (%s) is dropped, the saga completes", signal.Name)
		if err != nil {
			s.check(name, false, err.Error())
			continue
		}
		o = s.await(oc, run)
		done := o.completed && o.result["outcome"] == "COMPLETED"
		if done {
			s.dropped++
		}
		if o.stuck {
			s.stuck++
		}
		s.check(name, done, o.String())
	}

	// 5. A data pipeline: result and the progress query.
	pc := s.clients["pipelines"]
	pid := fmt.Sprintf("poly-go-%s-load", s.run)
	run, err = pc.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: "pipeline:" + pid, TaskQueue: pipelines.taskQueue},
		"DataPipelineWorkflow", json.RawMessage(s.fill(string(cases.Valid.Pipeline), pid, "")))
	if err == nil {
		o = s.await(pc, run)
	}
	read, _ := o.result["read"].(float64)
	loaded, _ := o.result["loaded"].(float64)
	quarantined, _ := o.result["quarantined"].(float64)
	s.check("DataPipelineWorkflow: a valid load completes, read = loaded + quarantined", err == nil && o.completed &&
		o.result["pipeline_id"] == pid && read > 0 && read == loaded+quarantined, fmt.Sprintf("%s %v", o, err))
	var progress map[string]any
	value, err = pc.QueryWorkflow(context.Background(), "pipeline:"+pid, "", "progress")
	if err == nil {
		err = value.Get(&progress)
	}
	s.check("DataPipelineWorkflow: progress query", err == nil && progress["phase"] == "COMPLETED" && progress["read"] == read,
		fmt.Sprintf("%v %v", progress, err))

	// 6. RunActivity: a scheduled run of a registry row, and a run of a row that does not exist.
	at := s.nextTime()
	run, err = pc.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: "demo-tick-every-minute:" + at,
		TaskQueue: activities.taskQueue}, "RunActivityWorkflow", json.RawMessage(s.fill(string(cases.Valid.Run), "", at)))
	if err == nil {
		o = s.await(pc, run)
	}
	keys, _ := o.result["task_keys"].([]any)
	hash, _ := o.result["context_hash"].(string)
	s.check("RunActivityWorkflow: a scheduled run creates its tasks", err == nil && o.completed &&
		o.result["run_key"] == "demo-tick-every-minute:"+at && len(keys) >= 1 &&
		regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(hash), fmt.Sprintf("%s %v", o, err))
	at = s.nextTime()
	run, err = pc.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{ID: "poly-no-such-activity:" + at,
		TaskQueue: activities.taskQueue}, "RunActivityWorkflow",
		map[string]string{"activity_id": "poly-no-such-activity", "scheduled_for": at})
	if err == nil {
		o = s.await(pc, run)
	}
	s.check("RunActivityWorkflow: an unknown activity is DEFINITION_NOT_FOUND", err == nil && o.failure != nil &&
		o.failure.Type() == "DEFINITION_NOT_FOUND" && o.details.Code == "DEFINITION_NOT_FOUND", fmt.Sprintf("%s %v", o, err))
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func main() {
	_, self, _, _ := runtime.Caller(0)
	casesPath := env("POLY_CASES", filepath.Join(filepath.Dir(self), "..", "cases.json"))
	raw, err := os.ReadFile(casesPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot read the cases:", err)
		os.Exit(2)
	}
	var cases caseFile
	if err := json.Unmarshal(raw, &cases); err != nil {
		fmt.Fprintln(os.Stderr, "cannot parse the cases:", err)
		os.Exit(2)
	}
	timeoutSeconds, _ := strconv.Atoi(env("POLY_TIMEOUT_SECONDS", "60"))
	runToken := env("POLY_RUN", strconv.FormatInt(time.Now().UnixMilli(), 10))
	digits := regexp.MustCompile(`\D`).ReplaceAllString(runToken, "")
	if len(digits) > 6 {
		digits = digits[len(digits)-6:]
	}
	seed, _ := strconv.Atoi(digits)
	s := &suite{
		clients: map[string]client.Client{},
		run:     runToken,
		table:   env("POLY_PIPELINE_TABLE", "demo_customers"),
		timeout: time.Duration(timeoutSeconds) * time.Second,
		// Unique whole-second times for RunActivity (its workflow ID is <activity_id>:<scheduled_for>); the Go
		// client's range is after the TypeScript client's.
		base: time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(seed%100000) * 100 * time.Second),
	}
	for _, ns := range []string{"orders", "pipelines"} {
		c, err := client.Dial(client.Options{HostPort: env("TEMPORAL_ADDRESS", "127.0.0.1:7233"), Namespace: ns,
			Logger: log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))})
		if err != nil {
			fmt.Fprintln(os.Stderr, "cannot connect:", err)
			os.Exit(2)
		}
		defer c.Close()
		s.clients[ns] = c
	}

	s.happyPaths(cases)
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				s.malformed(i, cases.Cases[i])
			}
		}()
	}
	for i := range cases.Cases {
		work <- i
	}
	close(work)
	wg.Wait()

	summary, _ := json.Marshal(map[string]any{
		"sdk": "go", "payloads_tried": s.payloads, "typed_failures": s.typed, "malformed_signals_dropped": s.dropped,
		"stuck": s.stuck, "silently_changed": s.changed, "with_effects": s.effects, "wrong_failures": s.wrong,
		"slowest_seconds": float64(s.slowest.Milliseconds()/100) / 10,
	})
	fmt.Printf("POLYGLOT-SUMMARY %s\n", summary)
	fmt.Printf("polyglot go: payloads tried %d, typed failures %d, malformed signals dropped %d, stuck %d, silently changed %d, with effects %d, slowest %.1f s\n",
		s.payloads, s.typed, s.dropped, s.stuck, s.changed, s.effects, s.slowest.Seconds())
	fmt.Printf("%d passed, %d failed\n", s.passed, s.failed)
	if s.failed > 0 {
		os.Exit(1)
	}
}
