// Command bpt-local-provisioner is the dynamic volume provisioner of the bp-temporal local cluster: it
// serves the cluster's default StorageClass by creating one directory per claim under a root directory of
// the node and a `local` PersistentVolume pinned to that node, and removes the directory when a volume
// with reclaim policy Delete is released. It runs on the node as a process of the cluster's supervisor
// (no helper pods, no privileged containers); the claim/volume protocol is the one of
// sigs.k8s.io/sig-storage-lib-external-provisioner.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
	"sigs.k8s.io/sig-storage-lib-external-provisioner/v13/controller"
)

// volumePathAnnotation records on the PV which directory backs it, so Delete never derives a path to
// remove from anything but what Provision wrote.
const volumePathAnnotation = "local.bp-temporal.io/path"

type localProvisioner struct {
	root     string
	nodeName string
}

func (p *localProvisioner) Provision(_ context.Context, opts controller.ProvisionOptions) (*v1.PersistentVolume, controller.ProvisioningState, error) {
	if opts.PVC.Spec.Selector != nil {
		return nil, controller.ProvisioningFinished, errors.New("claims with a selector are not supported")
	}
	for _, mode := range opts.PVC.Spec.AccessModes {
		if mode != v1.ReadWriteOnce && mode != v1.ReadWriteOncePod {
			return nil, controller.ProvisioningFinished, fmt.Errorf("access mode %s is not supported (a node-local volume: ReadWriteOnce or ReadWriteOncePod)", mode)
		}
	}
	if opts.SelectedNodeName != "" && opts.SelectedNodeName != p.nodeName {
		return nil, controller.ProvisioningReschedule, fmt.Errorf("volumes are provisioned on node %s only, not %s", p.nodeName, opts.SelectedNodeName)
	}
	dir := filepath.Join(p.root, opts.PVName)
	// World-writable like a fresh disk: the kubelet applies a pod's fsGroup to local volumes, and a pod
	// without one (running as any uid) must still be able to write its volume.
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, controller.ProvisioningFinished, err
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		return nil, controller.ProvisioningFinished, err
	}
	fs := v1.PersistentVolumeFilesystem
	pv := &v1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        opts.PVName,
			Annotations: map[string]string{volumePathAnnotation: dir},
		},
		Spec: v1.PersistentVolumeSpec{
			PersistentVolumeReclaimPolicy: *opts.StorageClass.ReclaimPolicy,
			AccessModes:                   opts.PVC.Spec.AccessModes,
			MountOptions:                  opts.StorageClass.MountOptions,
			VolumeMode:                    &fs,
			Capacity:                      v1.ResourceList{v1.ResourceStorage: opts.PVC.Spec.Resources.Requests[v1.ResourceStorage]},
			PersistentVolumeSource: v1.PersistentVolumeSource{
				Local: &v1.LocalVolumeSource{Path: dir},
			},
			NodeAffinity: &v1.VolumeNodeAffinity{Required: &v1.NodeSelector{NodeSelectorTerms: []v1.NodeSelectorTerm{{
				MatchExpressions: []v1.NodeSelectorRequirement{{
					Key: v1.LabelHostname, Operator: v1.NodeSelectorOpIn, Values: []string{p.nodeName},
				}},
			}}}},
		},
	}
	return pv, controller.ProvisioningFinished, nil
}

func (p *localProvisioner) Delete(_ context.Context, pv *v1.PersistentVolume) error {
	dir, ok := pv.Annotations[volumePathAnnotation]
	if !ok {
		return &controller.IgnoredError{Reason: "the volume was not provisioned by this provisioner"}
	}
	// Only ever a direct child of the root: a tampered annotation must not point elsewhere.
	if filepath.Dir(filepath.Clean(dir)) != filepath.Clean(p.root) {
		return fmt.Errorf("volume %s: path %q is not a directory under %s; not removing it", pv.Name, dir, p.root)
	}
	return os.RemoveAll(dir)
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the provisioner's identity")
	root := flag.String("root", "", "directory under which volumes are created")
	nodeName := flag.String("node-name", "", "the node the volumes live on")
	name := flag.String("provisioner-name", "local.bp-temporal.io/hostpath", "provisioner name of the StorageClass served")
	healthz := flag.String("healthz-address", "127.0.0.1:10271", "address of /healthz (200 once the controller runs)")
	klog.InitFlags(nil)
	flag.Parse()
	if *kubeconfig == "" || *root == "" || *nodeName == "" {
		fmt.Fprintln(os.Stderr, "bpt-local-provisioner: --kubeconfig, --root and --node-name are required")
		os.Exit(2)
	}
	if !filepath.IsAbs(*root) || strings.Contains(*root, "..") {
		fmt.Fprintf(os.Stderr, "bpt-local-provisioner: --root %q must be an absolute, clean path\n", *root)
		os.Exit(2)
	}
	if err := os.MkdirAll(*root, 0o755); err != nil {
		klog.Fatalf("cannot create %s: %v", *root, err)
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		klog.Fatalf("kubeconfig %s: %v", *kubeconfig, err)
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		klog.Fatalf("client: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	var running atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if running.Load() {
			_, _ = w.Write([]byte("ok"))
			return
		}
		http.Error(w, "starting", http.StatusServiceUnavailable)
	})
	server := &http.Server{Addr: *healthz, Handler: mux}
	go func() {
		if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			klog.Fatalf("healthz on %s: %v", *healthz, err)
		}
	}()

	pc := controller.NewProvisionController(ctx, client, *name, &localProvisioner{root: *root, nodeName: *nodeName},
		controller.LeaderElection(false))
	klog.Infof("serving provisioner %s: volumes under %s on node %s", *name, *root, *nodeName)
	running.Store(true)
	pc.Run(ctx)
	_ = server.Close()
}
