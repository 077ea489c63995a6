# Sourced by `scripts/bootstrap cluster`: the tools of the local Kubernetes cluster
# (docs/operations/local-cluster.md). Uses bootstrap's say/miss, $check_only, $cache, $tools, $root.
#
# 1. Debian packages the node needs, installed with apt-get when missing (as root; otherwise a MISSING line).
# 2. Binaries built from Go modules at the versions of scripts/tools.versions, each into the shared cache
#      $cache/<tool>-<version>-<recipe hash>/
#    (the hash covers this file's recipe, the Go version and the wrapper module's files, so a changed recipe
#    never reuses an old build) and linked into .tools/bin. A warm run only checks and links: seconds.

# Package -> why the cluster needs it (printed when it gets installed).
cluster_debs=(
  "containerd:the container runtime the kubelet drives through CRI"
  "runc:the OCI runtime containerd starts containers with"
  "containernetworking-plugins:the CNI plugins of the pod network (bridge, host-local, portmap, firewall)"
  "etcd-server:the API server's datastore"
  "iptables:kube-proxy's Service rules and the rule that keeps pod traffic on this machine"
  "nftables:nft deletes the empty tables iptables-nft leaves behind once the cluster's chains are gone"
  "gcc:compiles the static pause program of the pod sandbox image"
  "libc6-dev:the C library headers and static libc for the pause program"
)

cluster_install_debs() {
  local entry p missing_debs=() why=()
  for entry in "${cluster_debs[@]}"; do
    p=${entry%%:*}
    if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
      missing_debs+=("$p")
      why+=("  $p: ${entry#*:}")
    fi
  done
  [[ ${#missing_debs[@]} -eq 0 ]] && { say "Debian packages of the cluster: all installed"; return 0; }
  if $check_only; then
    miss "Debian packages ${missing_debs[*]}: not installed; run scripts/bootstrap cluster as root"
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    miss "Debian packages ${missing_debs[*]}: not installed and this is not root; run (as root) apt-get install -y --no-install-recommends ${missing_debs[*]}"
    return 0
  fi
  say "installing Debian packages (apt-get install -y --no-install-recommends ${missing_debs[*]}):"
  printf 'bootstrap: %s\n' "${why[@]}"
  if [[ -z "$(apt-cache policy containerd 2>/dev/null | grep 'Candidate:' | grep -v '(none)' || true)" ]]; then
    apt-get update -qq || { miss "'apt-get update' failed: the Debian mirror must be reachable"; return 0; }
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" \
      >"$tools/apt-install.log" 2>&1; then
    tail -n 20 "$tools/apt-install.log" >&2
    miss "Debian packages ${missing_debs[*]}: apt-get install failed (log: $tools/apt-install.log)"
  fi
}

# cluster_recipe_key NAME VERSION FILE...: a short hash of everything that decides the build's output.
cluster_recipe_key() {
  local fn=$1; shift
  { declare -f "$fn"; printf '%s\n' "$@"; go env GOVERSION GOARCH 2>/dev/null; } | sha256sum | cut -c1-12
}

# cluster_tool NAME VERSION RECIPE_FN OUTPUTS [EXTRA_KEY_FILES...]: run RECIPE_FN OUT_DIR once per key, then
# link each of OUTPUTS (space-separated) into .tools/bin, or into .tools/manifests when it is a *.yaml.
cluster_tool() {
  local name=$1 version=$2 recipe=$3 bins=$4; shift 4
  local key_input=("$version") f
  for f in "$@"; do key_input+=("$(sha256sum "$f")"); done
  if ! command -v go >/dev/null 2>&1; then go_needed_by+=("$name $version"); return 0; fi
  local key dir b
  key=$(cluster_recipe_key "$recipe" "${key_input[@]}")
  dir="$cache/$name-$version-$key"
  for b in $bins; do
    if [[ ! -e "$dir/$b" ]]; then
      if $check_only; then miss "$name $version: not in $dir; run scripts/bootstrap cluster"; return 0; fi
      say "building $name $version (first time only; see $dir.partial.log)"
      local started=$SECONDS
      rm -rf "$dir.partial" && mkdir -p "$dir.partial"
      if ! ( set -e; "$recipe" "$dir.partial" "$version" ) >"$dir.partial.log" 2>&1; then
        tail -n 25 "$dir.partial.log" >&2
        miss "$name $version: the build failed (log: $dir.partial.log); the Go module proxy must be reachable"
        return 0
      fi
      rm -rf "$dir" && mv "$dir.partial" "$dir" && rm -f "$dir.partial.log"
      say "built $name $version in $((SECONDS - started)) s"
      break
    fi
  done
  local links=()
  mkdir -p "$tools/bin" "$tools/manifests"
  for b in $bins; do
    case $b in
      *.yaml) ln -sfn "$dir/$b" "$tools/manifests/$b" && links+=("$tools/manifests/$b") ;;
      *) ln -sfn "$dir/$b" "$tools/bin/$b" && links+=("$tools/bin/$b") ;;
    esac
  done
  say "$name $version -> ${links[*]}"
}

# Builds run niced on all cores, statically linked, without VCS stamping (module sources have no .git).
cluster_go() { CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="-buildvcs=false ${1:-}" nice -n 10 go "${@:2}"; }

# cluster_module_copy MODULE@VERSION: a writable copy of a module's source (the module cache is read-only);
# its own go.mod and go.sum decide every dependency, exactly as upstream builds it.
cluster_module_copy() {
  local src dst
  src=$(GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -n "$src" && -d "$src" ]] || { echo "go mod download $1 gave no source directory" >&2; return 1; }
  dst=$(mktemp -d "${TMPDIR:-/tmp}/bp-module.XXXXXX")
  cp -r "$src/." "$dst/" && chmod -R u+w "$dst"
  echo "$dst"
}

recipe_kubernetes() {
  local out=$1 v=$2 major minor ld="-s -w" p
  major=${v#v}; major=${major%%.*}; minor=${v#v*.}; minor=${minor%%.*}
  # Without these the binaries report v0.0.0-master (and kubectl version skew warnings follow).
  for p in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    ld+=" -X $p.gitVersion=$v -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  cd "$root/scripts/cluster/kubernetes"
  grep -q "k8s.io/kubernetes $v\$" go.mod || { echo "scripts/cluster/kubernetes/go.mod does not require k8s.io/kubernetes $v" >&2; return 1; }
  # One go build for all six: compiling shared packages once is what makes it ~12 min instead of ~40.
  cluster_go -mod=readonly build -trimpath -ldflags "$ld" -o "$out/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy \
    k8s.io/kubernetes/cmd/kubectl
}

recipe_provisioner() {
  cd "$root/scripts/cluster/provisioner"
  cluster_go -mod=readonly build -trimpath -ldflags "-s -w" -o "$1/bpt-local-provisioner" .
}

recipe_cert_manager() {
  local out=$1 v=$2 src chart
  cd "$root/scripts/cluster/cert-manager"
  grep -q "github.com/cert-manager/cert-manager $v\$" go.mod || { echo "scripts/cluster/cert-manager/go.mod does not require cert-manager $v" >&2; return 1; }
  cluster_go -mod=readonly build -trimpath -ldflags "-s -w" -o "$out/bpt-cert-manager" .
  # The CRDs: cert-manager keeps them as Helm templates (deploy/crds) that its release renders into the chart.
  # Rendered here with the chart's own helpers and defaults, CRDs only.
  src=$(GOFLAGS=-mod=mod go mod download -json "github.com/cert-manager/cert-manager@$v" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -x "$tools/bin/helm" ]] || { echo "helm is needed to render cert-manager's CRDs (scripts/bootstrap builds it first)" >&2; return 1; }
  chart=$(mktemp -d "${TMPDIR:-/tmp}/bp-cert-manager-crds.XXXXXX")
  mkdir -p "$chart/templates"
  printf 'apiVersion: v2\nname: cert-manager\nversion: %s\nappVersion: %s\n' "${v#v}" "$v" >"$chart/Chart.yaml"
  cp "$src/deploy/charts/cert-manager/values.yaml" "$chart/"
  cp "$src/deploy/charts/cert-manager/templates/_helpers.tpl" "$src"/deploy/crds/crd-*.yaml "$chart/templates/"
  "$tools/bin/helm" template cert-manager "$chart" --namespace cert-manager --set crds.enabled=true \
    >"$out/cert-manager-crds.yaml"
  rm -rf "$chart"
  grep -q "name: certificates.cert-manager.io" "$out/cert-manager-crds.yaml" || { echo "no Certificate CRD rendered" >&2; return 1; }
}

recipe_coredns() {
  local src; src=$(cluster_module_copy "github.com/coredns/coredns@$2")
  (cd "$src" && cluster_go -mod=mod build -trimpath -ldflags "-s -w" -o "$1/coredns" .)
  rm -rf "$src"
}

recipe_cnpg() {
  local src; src=$(cluster_module_copy "github.com/cloudnative-pg/cloudnative-pg@$2")
  # The operator image's /manager; the operator copies it into PostgreSQL pods as their instance manager.
  (cd "$src" && cluster_go -mod=mod build -trimpath -ldflags "-s -w" -o "$1/cnpg-manager" ./cmd/manager)
  rm -rf "$src"
}

recipe_crictl() {
  local src; src=$(cluster_module_copy "sigs.k8s.io/cri-tools@$2")
  (cd "$src" && cluster_go -mod=mod build -trimpath \
    -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=${2#v}" -o "$1/crictl" ./cmd/crictl)
  rm -rf "$src"
}

recipe_registry() {
  local src; src=$(cluster_module_copy "github.com/distribution/distribution/v3@$2")
  (cd "$src" && cluster_go -mod=mod build -trimpath \
    -ldflags "-s -w -X github.com/distribution/distribution/v3/version.version=$2" -o "$1/registry" ./cmd/registry)
  rm -rf "$src"
}

recipe_temporal_cli() {
  local src; src=$(cluster_module_copy "github.com/temporalio/cli@$2")
  (cd "$src" && cluster_go -mod=mod build -trimpath \
    -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=${2#v}" -o "$1/temporal" ./cmd/temporal)
  rm -rf "$src"
}

recipe_tdbg() {
  local src; src=$(cluster_module_copy "go.temporal.io/server@$2")
  (cd "$src" && cluster_go -mod=mod build -trimpath -ldflags "-s -w" -o "$1/tdbg" ./cmd/tools/tdbg)
  rm -rf "$src"
}

recipe_ui_server_image() { # the Web UI image's server: the chart's web.image.tag, not the dev stack's UI version
  local src; src=$(cluster_module_copy "github.com/temporalio/ui-server/v2@$2")
  (cd "$src" && cluster_go -mod=mod build -trimpath -ldflags "-s -w" -o "$1/temporal-ui-server-image" ./cmd/server)
  rm -rf "$src"
}

cluster_install_debs
k8s_dir="$root/scripts/cluster/kubernetes"
prov_dir="$root/scripts/cluster/provisioner"
cluster_tool bpt-local-provisioner source recipe_provisioner bpt-local-provisioner \
  "$prov_dir/go.mod" "$prov_dir/go.sum" "$prov_dir/main.go"
cluster_tool coredns "$COREDNS_VERSION" recipe_coredns coredns
cm_dir="$root/scripts/cluster/cert-manager"
cluster_tool cert-manager "$CERT_MANAGER_VERSION" recipe_cert_manager "bpt-cert-manager cert-manager-crds.yaml" \
  "$cm_dir/go.mod" "$cm_dir/go.sum" "$cm_dir/main.go"
cluster_tool cnpg-manager "$CNPG_VERSION" recipe_cnpg cnpg-manager
cluster_tool crictl "$CRICTL_VERSION" recipe_crictl crictl
cluster_tool registry "$REGISTRY_VERSION" recipe_registry registry
cluster_tool temporal-cli "$TEMPORAL_CLI_VERSION" recipe_temporal_cli temporal
cluster_tool tdbg "$TEMPORAL_SERVER_VERSION" recipe_tdbg tdbg
cluster_tool temporal-ui-server-image "$TEMPORAL_UI_IMAGE_VERSION" recipe_ui_server_image temporal-ui-server-image
# Last: the longest build (12-20 min cold on 2 cores; a relink when the Go build cache is warm).
cluster_tool kubernetes "$KUBERNETES_VERSION" recipe_kubernetes \
  "kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl" "$k8s_dir/go.mod" "$k8s_dir/go.sum"
