// Command bpt-cert-manager runs cert-manager's certificate controllers on the bp-temporal local cluster,
// so that the blueprint's mutual TLS scenario (chart tls.enabled) is issued and renewed by cert-manager's own
// code, as on a real cluster. cert-manager publishes its controller's command (cmd/controller) as a Go module
// of its own that the Go module proxy does not serve, so this is the smallest main around the controllers
// its root module registers: the Certificate lifecycle, the approver, and the SelfSigned and CA issuers.
// Everything that needs a network beyond the cluster (ACME, Vault, Venafi), the ingress/gateway shims and
// the admission webhook (validation only; the cluster's API server applies the CRDs' schemas) is left out.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"k8s.io/klog/v2"
	"k8s.io/utils/clock"

	controller "github.com/cert-manager/cert-manager/pkg/controller"
	"github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	crca "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	crselfsigned "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	"github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	"github.com/cert-manager/cert-manager/pkg/controller/issuers"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/metrics"

	// The issuer implementations the issuers controllers set up (each registers itself).
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
)

// The controllers this cluster runs, by the names they register under.
var enabled = []string{
	issuers.ControllerName, clusterissuers.ControllerName,
	trigger.ControllerName, keymanager.ControllerName, requestmanager.ControllerName,
	issuing.ControllerName, readiness.ControllerName, revisionmanager.ControllerName,
	approver.ControllerName, crca.CRControllerName, crselfsigned.CRControllerName,
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file; empty: the pod's service account")
	clusterResourceNamespace := flag.String("cluster-resource-namespace", "cert-manager",
		"where the Secrets of ClusterIssuers live")
	workers := flag.Int("workers", 2, "concurrent items per controller")
	flag.Parse()
	if err := run(*kubeconfig, *clusterResourceNamespace, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "bpt-cert-manager:", err)
		os.Exit(1)
	}
}

func run(kubeconfig, clusterResourceNamespace string, workers int) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := klog.Background().WithName("bpt-cert-manager")
	ctx = logf.NewContext(ctx, log)
	realClock := clock.RealClock{}
	factory, err := controller.NewContextFactory(ctx, controller.ContextOptions{
		Kubeconfig:         kubeconfig,
		KubernetesAPIQPS:   20,
		KubernetesAPIBurst: 50,
		Clock:              realClock,
		Metrics:            metrics.New(log, realClock),
		IssuerOptions:      controller.IssuerOptions{ClusterResourceNamespace: clusterResourceNamespace},
	})
	if err != nil {
		return fmt.Errorf("cannot reach the API server: %w", err)
	}
	known := controller.Known()
	var running sync.WaitGroup
	errs := make(chan error, len(enabled))
	for _, name := range enabled {
		construct, ok := known[name]
		if !ok {
			return fmt.Errorf("cert-manager registers no controller %q (is the version in go.mod the one main.go was written for?)", name)
		}
		c, err := construct(factory)
		if err != nil {
			return fmt.Errorf("controller %s: %w", name, err)
		}
		running.Add(1)
		go func() {
			defer running.Done()
			if err := c.Run(workers, ctx); err != nil {
				errs <- fmt.Errorf("controller %s: %w", name, err)
			}
		}()
	}
	// The controllers registered their informers while being built; start them all once.
	shared, err := factory.Build()
	if err != nil {
		return err
	}
	shared.SharedInformerFactory.Start(ctx.Done())
	shared.KubeSharedInformerFactory.Start(ctx.Done())
	shared.HTTP01ResourceMetadataInformersFactory.Start(ctx.Done())
	log.Info("controllers started", "controllers", enabled)
	select {
	case err := <-errs:
		stop()
		running.Wait()
		return err
	case <-ctx.Done():
		running.Wait()
		return nil
	}
}
