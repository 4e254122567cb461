#!/usr/bin/env python3
"""Tests of the Helm chart (charts/numalign) and the plain manifests (manifests/).

    deploy_test.py lint       helm lint --strict for every mode
    deploy_test.py render     helm template for every mode; checks kinds, RBAC, mounts, security
                              context, the scheduler configuration (strict, kube-scheduler v1.32)
    deploy_test.py manifests  manifests/ equals what scripts in manifests/ generate from the chart
    deploy_test.py flags      every flag the chart passes is defined in the program's source
    deploy_test.py apply      kubectl applies the kinds the test API server serves (CRD, Namespace,
                              ConfigMap, an NRT) to a test API server; the rest only client-side

helm and kubectl v1.32 come from scripts/install-tools.sh (env HELM/KUBECTL override).
Needs Python 3 with PyYAML (Debian: python3-yaml).
"""
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CHART = os.path.join(ROOT, "charts", "numalign")
sys.path.insert(0, HERE)

try:
    import yaml
except ImportError:
    print("FAIL: PyYAML is missing: install python3-yaml (Debian) or `pip install pyyaml`")
    sys.exit(1)
import kube_scheduler_v1_32 as ksc

NAMESPACE = "numalign-system"
KUBE_VERSION = "v1.32.3"

# name -> helm --set arguments
MODES = {
    "default": [],
    "pinning-kubelet": ["agent.pinningMode=kubelet"],
    "crds-install-false": ["crds.install=false"],
    "tls": ["extender.tls.enabled=true"],
    "tls-own-secret": ["extender.tls.enabled=true", "extender.tls.secretName=my-extender-tls"],
    "tuned": ["topology.policy=restricted", "topology.scope=pod", "agent.reservedCpus=0\\,1",
              "agent.reservedMemory=0:memory=1Gi", "agent.kubeletConfig=/var/lib/kubelet/config.yaml",
              "extender.scoringStrategy=balanced", "extender.weight=12", "extender.unmanagedNodes=reject",
              "extender.managedResources[0].name=example.com/nic", "controller.defragment=evict",
              "scheduler.image.tag=v1.32.9", "crds.keep=true", "namespace.create=true"],
}

failures = []


def check(cond, message):
    if not cond:
        failures.append(message)
    return cond


def tool(name):
    env = os.environ.get(name.upper())
    candidates = [env] if env else []
    tools_dir = os.environ.get("NUMALIGN_TOOLS_DIR", os.path.join(os.path.expanduser("~"), ".cache", "numalign-tools"))
    candidates.append(os.path.join(tools_dir, "bin", name))
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    print(f"FAIL: {name} is missing (looked at {', '.join(c for c in candidates if c)}).\n"
          f"Install helm and kubectl v1.32 with: {ROOT}/scripts/install-tools.sh\n"
          f"(or point the {name.upper()} environment variable at a binary)")
    sys.exit(1)


def run(cmd, **kw):
    res = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    return res.stdout


def render(helm, sets, namespace=NAMESPACE):
    cmd = [helm, "template", "numalign", CHART, "--namespace", namespace, "--kube-version", KUBE_VERSION]
    for s in sets:
        cmd += ["--set", s]
    return run(cmd)


def objects(text):
    return [d for d in yaml.safe_load_all(text) if d]


def by_kind(objs, kind):
    return [o for o in objs if o["kind"] == kind]


def one(objs, kind, name_suffix):
    found = [o for o in objs if o["kind"] == kind and o["metadata"]["name"].endswith(name_suffix)]
    check(len(found) == 1, f"expected one {kind} *{name_suffix}, found {len(found)}")
    return found[0] if found else {}


def rules_of(objs, role_suffix, kind="ClusterRole"):
    role = one(objs, kind, role_suffix)
    grants = set()
    for r in role.get("rules", []):
        for g in r.get("apiGroups", []):
            for res in r.get("resources", []):
                for v in r.get("verbs", []):
                    grants.add((g, res, v, tuple(r.get("resourceNames", []))))
    return grants


def plain(grants):
    return {(g, r, v) for g, r, v, names in grants}


def check_rbac(objs, mode):
    wild = [(o["metadata"]["name"], r) for o in objs if o["kind"] in ("Role", "ClusterRole")
            for r in o.get("rules", []) if "*" in r.get("verbs", []) + r.get("resources", []) + r.get("apiGroups", [])]
    check(not wild, f"[{mode}] wildcard RBAC rules: {wild}")
    nrt = ("topology.node.k8s.io", "noderesourcetopologies")
    agent = plain(rules_of(objs, "-agent"))
    writes = {(g, r) for g, r, v in agent if v in ("create", "update", "patch", "delete", "deletecollection")}
    check(writes <= {nrt, ("", "pods"), ("", "events"), ("events.k8s.io", "events")},
          f"[{mode}] agent may write more than NRTs, pods and events: {sorted(writes)}")
    check(("", "pods", "patch") in agent and (*nrt, "patch") in agent, f"[{mode}] agent cannot patch pods/NRTs")
    check(not any(v == "delete" for _, _, v in agent), f"[{mode}] agent may delete")
    check(("", "secrets", "get") not in agent, f"[{mode}] agent reads secrets")
    ext = plain(rules_of(objs, "-extender"))
    for need in [("", "pods", "list"), ("", "pods", "watch"), ("", "nodes", "list"), ("", "nodes", "watch"),
                 (*nrt, "list"), (*nrt, "watch"), ("", "pods/binding", "create"), ("", "pods", "patch")]:
        check(need in ext, f"[{mode}] extender lacks {need}")
    ext_writes = {(g, r, v) for g, r, v in ext if v not in ("get", "list", "watch")}
    check(ext_writes <= {("", "pods", "patch"), ("", "pods/binding", "create"), ("", "events", "create"),
                         ("", "events", "patch"), ("events.k8s.io", "events", "create"),
                         ("events.k8s.io", "events", "patch")},
          f"[{mode}] extender writes too much: {sorted(ext_writes)}")
    ctl = plain(rules_of(objs, "-controller"))
    # What controller/ calls: NRT merge patches and deletes, pod deletes, the Recoverable condition
    # by PUT pods/status (kube::UpdateStatus), evictions, and informers (list+watch) on nodes, NRTs,
    # pods and PodDisruptionBudgets.
    for need in [(*nrt, "delete"), (*nrt, "patch"), ("", "pods", "delete"), ("", "pods/status", "update"),
                 ("", "pods/eviction", "create"), ("", "events", "create")] + [
                 (g, r, v) for g, r in (("", "nodes"), nrt, ("", "pods"), ("policy", "poddisruptionbudgets"))
                 for v in ("list", "watch")]:
        check(need in ctl, f"[{mode}] controller lacks {need}")
    check(not {(g, r) for g, r, v in ctl if v in ("create", "update", "patch", "delete")} -
          {nrt, ("", "pods"), ("", "pods/status"), ("", "pods/eviction"), ("", "events"), ("events.k8s.io", "events")},
          f"[{mode}] controller writes beyond its features")
    # Leases: each leader-elected component may only update its own lease.
    for comp, lease in (("scheduler", "numalign-scheduler"), ("controller", "numalign-controller")):
        g = rules_of(objs, f"-{comp}-leader-election", "Role")
        check(("coordination.k8s.io", "leases", "update", (lease,)) in g,
              f"[{mode}] {comp} cannot update its lease {lease}")
        check(not any(v == "update" and not names for _, r, v, names in g if r == "leases"),
              f"[{mode}] {comp} may update any lease")
    # RBAC cannot tie an agent to its node: the admission policy does, for the agent's account only.
    vap = one(objs, "ValidatingAdmissionPolicy", "-agent-own-node")
    vapb = one(objs, "ValidatingAdmissionPolicyBinding", "-agent-own-node")
    agent_sa = one(objs, "ServiceAccount", "-agent")["metadata"]
    check(vapb.get("spec", {}).get("policyName") == vap.get("metadata", {}).get("name")
          and vapb["spec"].get("validationActions") == ["Deny"], f"[{mode}] policy binding {vapb}")
    conds = " ".join(c["expression"] for c in vap.get("spec", {}).get("matchConditions", []))
    check(f"system:serviceaccount:{agent_sa['namespace']}:{agent_sa['name']}" in conds,
          f"[{mode}] node restriction does not match the agent's account: {conds}")
    res = {r for rr in vap.get("spec", {}).get("matchConstraints", {}).get("resourceRules", []) for r in rr["resources"]}
    check({"pods", "noderesourcetopologies"} <= res, f"[{mode}] node restriction covers {res}")
    checks = " ".join(v["expression"] for v in vap.get("spec", {}).get("validations", []))
    check("authentication.kubernetes.io/node-name" in " ".join(v["expression"] for v in vap["spec"].get("variables", []))
          and "object.metadata.name) == variables.node" in checks
          and "oldObject.spec.nodeName == variables.node" in checks,
          f"[{mode}] node restriction expressions {checks}")
    # The second scheduler's bindings.
    crbs = {o["roleRef"]["name"] for o in by_kind(objs, "ClusterRoleBinding")}
    check({"system:kube-scheduler", "system:volume-scheduler"} <= crbs,
          f"[{mode}] scheduler lacks system:kube-scheduler/system:volume-scheduler bindings: {crbs}")
    auth = [o for o in by_kind(objs, "RoleBinding")
            if o["roleRef"]["name"] == "extension-apiserver-authentication-reader"]
    check(len(auth) == 1 and auth[0]["metadata"]["namespace"] == "kube-system",
          f"[{mode}] no RoleBinding to extension-apiserver-authentication-reader in kube-system")
    # Every binding's subjects are ServiceAccounts the chart creates.
    sas = {(o["metadata"]["namespace"], o["metadata"]["name"]) for o in by_kind(objs, "ServiceAccount")}
    for b in by_kind(objs, "RoleBinding") + by_kind(objs, "ClusterRoleBinding"):
        for s in b["subjects"]:
            check((s.get("namespace"), s["name"]) in sas, f"[{mode}] {b['metadata']['name']} binds unknown {s}")


def args_of(container):
    out = {}
    for a in container.get("args", []) + container.get("command", [])[1:]:
        if a.startswith("--"):
            k, _, v = a[2:].partition("=")
            out[k] = v
    return out


def check_agent(objs, mode, sets):
    ds = one(objs, "DaemonSet", "-agent")
    spec = ds["spec"]["template"]["spec"]
    c = spec["containers"][0]
    a = args_of(c)
    kubelet_mode = "agent.pinningMode=kubelet" in sets
    check(a.get("pinning-mode") == ("kubelet" if kubelet_mode else "agent"), f"[{mode}] agent --pinning-mode {a}")
    for flag in ("sysfs-root", "cgroup-root", "state-dir", "health-port", "topology-manager-policy",
                 "topology-manager-scope", "discovery"):
        check(flag in a, f"[{mode}] agent lacks --{flag}")
    env = {e["name"]: e for e in c.get("env", [])}
    check(env.get("NODE_NAME", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName",
          f"[{mode}] NODE_NAME not from the downward API")
    sc = c["securityContext"]
    check(not sc.get("privileged", False), f"[{mode}] agent is privileged")
    check(sc.get("capabilities", {}).get("drop") == ["ALL"], f"[{mode}] agent keeps capabilities")
    check(not sc.get("capabilities", {}).get("add"), f"[{mode}] agent adds capabilities {sc.get('capabilities')}")
    check(sc.get("readOnlyRootFilesystem") is True and sc.get("allowPrivilegeEscalation") is False,
          f"[{mode}] agent root fs writable or privilege escalation allowed")
    check(not spec.get("hostNetwork") and not spec.get("hostPID") and not spec.get("hostIPC"),
          f"[{mode}] agent shares host namespaces")
    vols = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["mountPath"]: m for m in c["volumeMounts"]}

    def host(mount_path):
        m = mounts.get(mount_path)
        if not check(m is not None, f"[{mode}] agent does not mount {mount_path}"):
            return None, None
        return vols[m["name"]].get("hostPath", {}).get("path"), m.get("readOnly", False)

    root = a.get("sysfs-root", "/")
    check(host(os.path.join(root, "sys")) == ("/sys", True), f"[{mode}] host /sys not read-only at {root}/sys")
    check(host(os.path.join(root, "proc")) == ("/proc", True), f"[{mode}] host /proc not read-only at {root}/proc")
    check(host(a.get("cgroup-root", "?")) == ("/sys/fs/cgroup", kubelet_mode),
          f"[{mode}] cgroup fs not at --cgroup-root (read-only only in kubelet mode)")
    check(host(a.get("state-dir", "?")) == ("/var/lib/numalign", False), f"[{mode}] state dir not a writable hostPath")
    pr = host("/var/lib/kubelet/pod-resources") if kubelet_mode else (None, None)
    check(not kubelet_mode or pr == ("/var/lib/kubelet/pod-resources", False),
          f"[{mode}] podresources socket dir not mounted in kubelet mode")
    check(kubelet_mode or "/var/lib/kubelet/pod-resources" not in mounts,
          f"[{mode}] podresources mounted outside kubelet mode")
    for path, m in mounts.items():
        hp = vols[m["name"]].get("hostPath", {}).get("path")
        check(hp is None or m.get("readOnly") or hp in ("/sys/fs/cgroup", "/var/lib/numalign",
                                                           "/var/lib/kubelet/pod-resources"),
              f"[{mode}] writable host mount {hp}")
    port = int(a.get("health-port", 0))
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    for probe in ("livenessProbe", "readinessProbe"):
        p = c.get(probe, {}).get("httpGet", {})
        check(p.get("port") in ("health", port) and ports.get("health") == port,
              f"[{mode}] agent {probe} not on the health port {port}")
    check(any(t.get("operator") == "Exists" and "key" not in t for t in spec.get("tolerations", [])),
          f"[{mode}] agent does not tolerate every taint")
    if "agent.kubeletConfig=/var/lib/kubelet/config.yaml" in sets:
        check(host(os.path.dirname(a.get("kubelet-config", "?")))[0] == "/var/lib/kubelet",
              f"[{mode}] --kubelet-config not mounted")
    return a


def check_scheduler(objs, mode, sets):
    dep = one(objs, "Deployment", "-scheduler")
    spec = dep["spec"]["template"]["spec"]
    cs = {c["name"]: c for c in spec["containers"]}
    check(set(cs) == {"kube-scheduler", "extender"}, f"[{mode}] scheduler pod containers {set(cs)}")
    ks, ex = cs.get("kube-scheduler", {}), cs.get("extender", {})
    tag = "v1.32.9" if "scheduler.image.tag=v1.32.9" in sets else KUBE_VERSION
    check(ks.get("image") == f"registry.k8s.io/kube-scheduler:{tag}", f"[{mode}] scheduler image {ks.get('image')}")
    kargs = args_of(ks)
    cm = one(objs, "ConfigMap", "-scheduler-config")
    cfg_path = kargs.get("config", "")
    mounted = [m for m in ks.get("volumeMounts", []) if cfg_path.startswith(m["mountPath"] + "/")]
    check(len(mounted) == 1, f"[{mode}] --config {cfg_path} is not in a mounted volume")
    if mounted:
        vol = [v for v in spec["volumes"] if v["name"] == mounted[0]["name"]][0]
        check(vol.get("configMap", {}).get("name") == cm["metadata"]["name"], f"[{mode}] config volume is not the ConfigMap")
        check(os.path.basename(cfg_path) in cm["data"], f"[{mode}] ConfigMap lacks {os.path.basename(cfg_path)}")
    text = cm["data"].get(os.path.basename(cfg_path), "")
    # Strict: duplicate keys are errors for kube-scheduler too.
    class Strict(yaml.SafeLoader):
        pass

    def no_dups(loader, node, deep=False):
        keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
        dup = {k for k in keys if keys.count(k) > 1}
        if dup:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {dup}", node.start_mark)
        return yaml.SafeLoader.construct_mapping(loader, node, deep)
    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, no_dups)
    cfg = yaml.load(text, Loader=Strict)
    errs = ksc.validate(cfg)
    check(not errs, f"[{mode}] KubeSchedulerConfiguration rejected: {errs}")
    ann = dep["spec"]["template"]["metadata"].get("annotations", {})
    check("checksum/config" in ann and len(ann["checksum/config"]) == 64, f"[{mode}] no checksum/config annotation")
    check([p["schedulerName"] for p in cfg["profiles"]] == ["numalign-scheduler"], f"[{mode}] profiles {cfg['profiles']}")
    le = cfg["leaderElection"]
    check(le.get("leaderElect") is True and le.get("resourceName") == "numalign-scheduler"
          and le.get("resourceNamespace") == NAMESPACE, f"[{mode}] scheduler leader election {le}")
    (ext,) = cfg["extenders"]
    eargs = args_of(ex)
    tls = "extender.tls.enabled=true" in sets
    scheme = "https" if tls else "http"
    check(eargs.get("bind-address") == "127.0.0.1", f"[{mode}] extender not on 127.0.0.1: {eargs}")
    check(ext["urlPrefix"] == f"{scheme}://127.0.0.1:{eargs.get('port')}{eargs.get('url-prefix')}",
          f"[{mode}] urlPrefix {ext['urlPrefix']} does not reach the sidecar {eargs}")
    check(ext.get("filterVerb") == "filter" and ext.get("prioritizeVerb") == "prioritize"
          and ext.get("bindVerb") == "bind" and ext.get("preemptVerb") == "preempt",
          f"[{mode}] extender verbs {ext}")
    served = extender_verbs()
    for key in ("filterVerb", "prioritizeVerb", "bindVerb", "preemptVerb"):
        check(ext.get(key) in served, f"[{mode}] {key}={ext.get(key)} is not a verb the extender serves {served}")
    check(ext.get("nodeCacheCapable") is True and ext.get("ignorable") is False, f"[{mode}] extender flags {ext}")
    check(ext.get("weight") == (12 if "extender.weight=12" in sets else 5), f"[{mode}] weight {ext.get('weight')}")
    if tls:
        check(ext.get("enableHTTPS") is True and ext.get("tlsConfig", {}).get("caFile"), f"[{mode}] TLS config {ext}")
        check("tls-cert-file" in eargs and "tls-private-key-file" in eargs, f"[{mode}] extender TLS flags {eargs}")
        own = "extender.tls.secretName=my-extender-tls" in sets
        if own:
            check(not by_kind(objs, "Secret"), f"[{mode}] Secret generated although secretName is given")
        else:
            sec = one(objs, "Secret", "-extender-tls")
            check({"tls.crt", "tls.key", "ca.crt"} <= set(sec.get("data", {})), f"[{mode}] TLS secret keys")
            check("checksum/extender-tls" in dep["spec"]["template"]["metadata"].get("annotations", {}),
                  f"[{mode}] no checksum of the generated certificate")
        vol = [v for v in spec["volumes"] if v["name"] == "extender-tls"]
        check(len(vol) == 1 and vol[0]["secret"]["secretName"] == ("my-extender-tls" if own else
              "numalign-extender-tls"), f"[{mode}] TLS volume {vol}")
        for c in (ks, ex):
            check(any(m["mountPath"] == "/etc/numalign/extender-tls" for m in c.get("volumeMounts", [])),
                  f"[{mode}] {c.get('name')} does not mount the TLS secret")
    else:
        check(not by_kind(objs, "Secret"), f"[{mode}] Secret rendered without TLS")
    if "extender.managedResources[0].name=example.com/nic" in sets:
        check(ext.get("managedResources") == [{"name": "example.com/nic", "ignoredByScheduler": False}],
              f"[{mode}] managedResources {ext.get('managedResources')}")
    check(ks.get("livenessProbe", {}).get("httpGet", {}).get("scheme") == "HTTPS"
          and ks["livenessProbe"]["httpGet"].get("port") in (10259, "https"), f"[{mode}] scheduler probe")
    for probe in ("livenessProbe", "readinessProbe"):
        check(ex.get(probe, {}).get("exec", {}).get("command", [None])[0] == "/usr/local/bin/numalign-probe",
              f"[{mode}] extender {probe}")
    psc = spec.get("securityContext", {})
    check(psc.get("runAsNonRoot") is True and psc.get("runAsUser") == 65532, f"[{mode}] scheduler pod not non-root")
    return eargs


def check_controller(objs, mode, sets):
    dep = one(objs, "Deployment", "-controller")
    spec = dep["spec"]["template"]["spec"]
    c = spec["containers"][0]
    a = args_of(c)
    check(a.get("leader-elect") == "true" and a.get("leader-elect-resource-name") == "numalign-controller"
          and a.get("leader-elect-resource-namespace") == NAMESPACE, f"[{mode}] controller leader election {a}")
    check(a.get("defragment") == ("evict" if "controller.defragment=evict" in sets else "dry-run"),
          f"[{mode}] --defragment {a.get('defragment')}")
    psc = spec.get("securityContext", {})
    check(psc.get("runAsNonRoot") is True and psc.get("runAsUser") == 65532, f"[{mode}] controller not non-root")
    check(c["securityContext"].get("capabilities", {}).get("drop") == ["ALL"], f"[{mode}] controller capabilities")
    check(c.get("livenessProbe", {}).get("httpGet", {}).get("port") == "health", f"[{mode}] controller probe")
    check(c.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/readyz", f"[{mode}] controller readiness")
    want_name = "default-scheduler"  # no bundled scheduler: the default one calls the extender
    configs = [o for o in by_kind(objs, "ConfigMap") if o["metadata"]["name"].endswith("-scheduler-config")]
    if configs:
        cfg = yaml.safe_load(next(iter(configs[0]["data"].values())))
        want_name = cfg["profiles"][0]["schedulerName"]
    check(a.get("scheduler-name") == want_name,
          f"[{mode}] controller --scheduler-name {a.get('scheduler-name')} is not the scheduler's {want_name}")
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    check(a.get("health-port") == str(ports.get("health")), f"[{mode}] controller health port {a} {ports}")
    check(a.get("metrics-bind-address") == f":{ports.get('metrics')}",
          f"[{mode}] controller metrics address {a.get('metrics-bind-address')} vs ports {ports}")
    return a


def check_common(objs, mode, sets):
    for o in objs:
        md = o["metadata"]
        labels = md.get("labels", {})
        for key in ("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by",
                    "helm.sh/chart"):
            check(key in labels, f"[{mode}] {o['kind']}/{md['name']} lacks label {key}")
        namespaced = o["kind"] not in ("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                                       "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding")
        check(namespaced == ("namespace" in md), f"[{mode}] {o['kind']}/{md['name']} namespace {md.get('namespace')}")
    for w in by_kind(objs, "Deployment") + by_kind(objs, "DaemonSet"):
        sel = w["spec"]["selector"]["matchLabels"]
        tl = w["spec"]["template"]["metadata"]["labels"]
        check(all(tl.get(k) == v for k, v in sel.items()), f"[{mode}] {w['metadata']['name']} selector mismatch")
        for c in w["spec"]["template"]["spec"]["containers"]:
            check(c.get("resources", {}).get("requests"), f"[{mode}] {c['name']} has no resource requests")
    crds = by_kind(objs, "CustomResourceDefinition")
    if "crds.install=false" in sets:
        check(not crds, f"[{mode}] CRD rendered although crds.install=false")
    else:
        check(len(crds) == 1, f"[{mode}] CRD count {len(crds)}")
        if crds:
            crd = crds[0]
            s = crd["spec"]
            check(crd["metadata"]["name"] == "noderesourcetopologies.topology.node.k8s.io", f"[{mode}] CRD name")
            check(s["scope"] == "Cluster" and "node-res-topo" in s["names"].get("shortNames", []),
                  f"[{mode}] CRD scope/shortName")
            vers = {v["name"]: (v["served"], v["storage"]) for v in s["versions"]}
            check(vers == {"v1alpha2": (True, True), "v1alpha1": (True, False)}, f"[{mode}] CRD versions {vers}")
            keep = crd["metadata"].get("annotations", {}).get("helm.sh/resource-policy")
            check((keep == "keep") == ("crds.keep=true" in sets), f"[{mode}] CRD resource-policy {keep}")
            with open(os.path.join(ROOT, "tests", "support", "fixtures", "noderesourcetopology-crd.yaml")) as f:
                fixture = yaml.safe_load(f)
            check(fixture["spec"] == s, f"[{mode}] chart CRD spec differs from tests/support/fixtures")
    check(bool(by_kind(objs, "Namespace")) == ("namespace.create=true" in sets), f"[{mode}] Namespace object")


EXPECTED_KINDS = {"ValidatingAdmissionPolicy": 1, "ValidatingAdmissionPolicyBinding": 1, "ServiceAccount": 3, "ClusterRole": 3, "ClusterRoleBinding": 5, "Role": 2, "RoleBinding": 3,
                  "ConfigMap": 1, "DaemonSet": 1, "Deployment": 2}


def cmd_lint():
    helm = tool("helm")
    for mode, sets in MODES.items():
        cmd = [helm, "lint", "--strict", CHART, "--namespace", NAMESPACE, "--kube-version", KUBE_VERSION]
        for s in sets:
            cmd += ["--set", s]
        res = subprocess.run(cmd, capture_output=True, text=True)
        check(res.returncode == 0, f"[{mode}] helm lint failed:\n{res.stdout}{res.stderr}")
        print(f"lint {mode}: {'ok' if res.returncode == 0 else 'FAILED'}")
    for bad in ("extender.scoringStrategy=random", "agent.pinningMode=maybe", "topology.policy=strict",
                "extender.weight=0", "controller.defragment=yes", "extender.httpTimeout=2"):
        res = subprocess.run([helm, "template", CHART, "--set", bad], capture_output=True, text=True)
        check(res.returncode != 0 and "values don't meet the specifications of the schema" in res.stderr,
              f"values.schema.json accepts {bad}")
        print(f"schema rejects {bad}: {'ok' if res.returncode != 0 else 'FAILED'}")


def cmd_render():
    helm = tool("helm")
    flags = {}
    for mode, sets in MODES.items():
        objs = objects(render(helm, sets))
        kinds = {}
        for o in objs:
            kinds[o["kind"]] = kinds.get(o["kind"], 0) + 1
        want = dict(EXPECTED_KINDS)
        if "crds.install=false" not in sets:
            want["CustomResourceDefinition"] = 1
        if "extender.tls.enabled=true" in sets and "extender.tls.secretName=my-extender-tls" not in sets:
            want["Secret"] = 1
        if "namespace.create=true" in sets:
            want["Namespace"] = 1
        check(kinds == want, f"[{mode}] kinds {kinds} != {want}")
        check_common(objs, mode, sets)
        check_rbac(objs, mode)
        flags[mode] = {"agent": check_agent(objs, mode, sets), "extender": check_scheduler(objs, mode, sets),
                       "controller": check_controller(objs, mode, sets)}
        print(f"render {mode}: {len(objs)} objects {sorted(kinds.items())}")
    # Switching components off renders nothing of them.
    objs = objects(render(helm, ["agent.enabled=false", "scheduler.enabled=false", "controller.enabled=false"]))
    check([o["kind"] for o in objs] == ["CustomResourceDefinition"], f"components off still render {[o['kind'] for o in objs]}")
    # Without the bundled scheduler the default scheduler calls the extender: the controller helps
    # default-scheduler pods, unless told otherwise.
    for sets, want in ((["scheduler.enabled=false"], "default-scheduler"),
                       (["scheduler.enabled=false", "controller.schedulerName=batch"], "batch"),
                       (["scheduler.name=numa"], "numa")):
        ctl = one(objects(render(helm, sets)), "Deployment", "-controller")
        got = args_of(ctl["spec"]["template"]["spec"]["containers"][0]).get("scheduler-name")
        check(got == want, f"{sets}: controller --scheduler-name {got}, want {want}")
    # A config change changes the checksum that rolls the scheduler pods.
    sums = []
    for w in ("5", "6"):
        dep = one(objects(render(helm, [f"extender.weight={w}"])), "Deployment", "-scheduler")
        sums.append(dep["spec"]["template"]["metadata"]["annotations"]["checksum/config"])
    check(sums[0] != sums[1], "scheduler config change does not change checksum/config")
    # NOTES.txt (helm template does not render it): render a copy of the chart with NOTES as a template.
    import shutil
    with tempfile.TemporaryDirectory() as tmp:
        chart = os.path.join(tmp, "numalign")
        shutil.copytree(CHART, chart)
        with open(os.path.join(chart, "templates", "NOTES.txt")) as f:
            text = f.read()
        os.remove(os.path.join(chart, "templates", "NOTES.txt"))
        with open(os.path.join(chart, "templates", "_notes.tpl"), "w") as f:
            f.write('{{- define "test.notes" -}}\n' + text + '{{- end }}\n')
        with open(os.path.join(chart, "templates", "notes.yaml"), "w") as f:
            f.write('notes: {{ include "test.notes" . | toJson }}\n')
        for sets, want in (([], ["schedulerName: numalign-scheduler", "kubectl get node-res-topo"]),
                           (["crds.install=false"], ["crds.install=false"])):
            cmd = [helm, "template", "numalign", chart, "-n", NAMESPACE, "--kube-version", KUBE_VERSION,
                   "--show-only", "templates/notes.yaml"] + [a for x in sets for a in ("--set", x)]
            notes = yaml.safe_load(run(cmd))["notes"]
            for w in want:
                check(w in notes, f"NOTES.txt ({sets}) does not say {w!r}:\n{notes}")
    print("flags passed (default mode):")
    for comp, a in flags["default"].items():
        print(f"  {comp}: " + " ".join(f"--{k}" for k in sorted(a)))


def cmd_manifests():
    gen = os.path.join(ROOT, "manifests", "generate.sh")
    with tempfile.TemporaryDirectory() as tmp:
        run([gen, tmp])
        for name in sorted(os.listdir(tmp)):
            with open(os.path.join(tmp, name)) as f:
                want = f.read()
            path = os.path.join(ROOT, "manifests", name)
            got = open(path).read() if os.path.exists(path) else None
            check(got == want, f"manifests/{name} is out of date: run manifests/generate.sh")
            print(f"manifests/{name}: {'in sync' if got == want else 'OUT OF DATE'}")
        extra = sorted(set(n for n in os.listdir(os.path.join(ROOT, "manifests")) if n.endswith(".yaml"))
                       - set(os.listdir(tmp)))
        check(not extra, f"manifests/ holds YAML files generate.sh does not produce: {extra}")
        # Together the files are exactly the chart's default rendering (namespace object included).
        together = []
        for name in sorted(os.listdir(tmp)):
            if name != "kustomization.yaml":
                together += objects(open(os.path.join(tmp, name)).read())
        helm_objs = objects(render(tool("helm"), ["namespace.create=true"]))
        key = lambda o: (o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"])
        check(sorted(map(key, together)) == sorted(map(key, helm_objs)),
              f"manifests/ objects differ from the chart: {sorted(set(map(key, together)) ^ set(map(key, helm_objs)))}")
        kust = yaml.safe_load(open(os.path.join(tmp, "kustomization.yaml")))
        check(sorted(kust["resources"]) == sorted(n for n in os.listdir(tmp) if n != "kustomization.yaml"),
              "kustomization.yaml does not list every manifest")


def cmd_apply():
    kubectl = tool("kubectl")
    helm = tool("helm")
    ver = run([kubectl, "version", "--client", "-o", "yaml"])
    check("minor: \"32\"" in ver, f"kubectl is not v1.32: {ver}")
    server_bin = os.environ.get("NUMALIGN_TEST_APISERVER")
    if not server_bin or not os.access(server_bin, os.X_OK):
        print(f"FAIL: the test API server binary is missing (NUMALIGN_TEST_APISERVER={server_bin!r}); "
              "build the numalign-test-apiserver target")
        sys.exit(1)
    text = render(helm, ["namespace.create=true"])
    objs = objects(text)
    served = {"CustomResourceDefinition", "Namespace", "ConfigMap"}
    with tempfile.TemporaryDirectory() as tmp:
        kubeconfig = os.path.join(tmp, "kubeconfig")
        proc = subprocess.Popen([server_bin, "--port", "0", "--kubeconfig-out", kubeconfig],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            for _ in range(100):
                if os.path.exists(kubeconfig) and os.path.getsize(kubeconfig) > 0:
                    break
                if proc.poll() is not None:
                    raise RuntimeError(f"test API server exited: {proc.stderr.read()}")
                time.sleep(0.1)
            env = dict(os.environ, KUBECONFIG=kubeconfig, HOME=tmp)
            k = lambda *a, **kw: run([kubectl, *a], env=env, **kw)
            order = ["CustomResourceDefinition", "Namespace", "ConfigMap"]
            for kind in order:
                docs = [o for o in objs if o["kind"] == kind]
                path = os.path.join(tmp, f"{kind}.yaml")
                with open(path, "w") as f:
                    yaml.safe_dump_all(docs, f)
                out = k("apply", "--server-side", "--field-manager=helm", "-f", path)
                print(f"applied to the test API server: {kind}: {out.strip()}")
                if kind == "CustomResourceDefinition":
                    k("wait", "--for=condition=Established", "--timeout=30s",
                      "crd/noderesourcetopologies.topology.node.k8s.io")
            # The applied objects read back.
            cm = yaml.safe_load(k("get", "-n", NAMESPACE, "configmap", "-o", "yaml",
                                  [o for o in objs if o["kind"] == "ConfigMap"][0]["metadata"]["name"]))
            check(ksc.validate(yaml.safe_load(cm["data"]["scheduler-config.yaml"])) == [],
                  "scheduler config read back from the server does not validate")
            # The CRD serves NRTs under the short name, at both versions.
            nrt = os.path.join(tmp, "nrt.yaml")
            with open(nrt, "w") as f:
                yaml.safe_dump({"apiVersion": "topology.node.k8s.io/v1alpha2", "kind": "NodeResourceTopology",
                                "metadata": {"name": "worker-1"},
                                "attributes": [{"name": "topologyManagerPolicy", "value": "single-numa-node"}],
                                "zones": [{"name": "node-0", "type": "Node", "costs": [{"name": "node-0", "value": 10}],
                                           "resources": [{"name": "cpu", "capacity": "8", "allocatable": "7",
                                                          "available": "7"}]}]}, f)
            k("apply", "-f", nrt)
            listed = k("get", "node-res-topo", "-o", "name")
            check("worker-1" in listed, f"kubectl get node-res-topo: {listed}")
            bad = subprocess.run([kubectl, "apply", "-f", "-"], env=env, capture_output=True, text=True,
                                 input=yaml.safe_dump({"apiVersion": "topology.node.k8s.io/v1alpha2",
                                                       "kind": "NodeResourceTopology", "metadata": {"name": "bad"}}))
            check(bad.returncode != 0, "an NRT without zones was accepted: the CRD schema is not enforced")
            print("NodeResourceTopology via the CRD: created, listed as node-res-topo, invalid one rejected")
            # Kinds the test API server does not serve natively: apps/v1 and RBAC kinds go through
            # schema-less stand-in CRDs (kubectl builds, maps and submits them, names, namespaces
            # and kube-system references resolve; their schemas are checked by `render`, not here).
            standins = []
            for kind in sorted({o["kind"] for o in objs} - served):
                group, _, version = [o for o in objs if o["kind"] == kind][0]["apiVersion"].rpartition("/")
                if not group:
                    continue
                plural = kind.lower() + "s"
                standins.append({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                                 "metadata": {"name": f"{plural}.{group}",
                                              "annotations": {"api-approved.kubernetes.io": "unapproved, test stand-in"}},
                                 "spec": {"group": group, "scope": "Namespaced" if any("namespace" in o["metadata"] for o in objs
                                                                             if o["kind"] == kind) else "Cluster",
                                          "names": {"plural": plural, "singular": kind.lower(), "kind": kind,
                                                    "listKind": kind + "List"},
                                          "versions": [{"name": version, "served": True, "storage": True,
                                                        "schema": {"openAPIV3Schema": {
                                                            "type": "object",
                                                            "x-kubernetes-preserve-unknown-fields": True}}}]}})
            path = os.path.join(tmp, "standins.yaml")
            with open(path, "w") as f:
                yaml.safe_dump_all(standins, f)
            k("apply", "-f", path)
            for c in standins:
                k("wait", "--for=condition=Established", "--timeout=30s", f"crd/{c['metadata']['name']}")
            via = {c["spec"]["names"]["kind"] for c in standins}
            rest = [o for o in objs if o["kind"] in via]
            path = os.path.join(tmp, "rest.yaml")
            with open(path, "w") as f:
                yaml.safe_dump_all(rest, f)
            out = k("apply", "--server-side", "--field-manager=helm", "--validate=false", "-f", path)
            check(len(out.strip().splitlines()) == len(rest), f"stand-in apply: {out}")
            for o in rest:
                md = o["metadata"]
                ns = ["-n", md["namespace"]] if "namespace" in md else []
                k("get", *ns, f"{o['kind'].lower()}s.{o['apiVersion'].rpartition('/')[0]}", md["name"], "-o", "name")
            print(f"applied to the test API server through schema-less stand-in CRDs: {', '.join(sorted(via))} "
                  f"({len(rest)} objects)")
            left = sorted({o["kind"] for o in objs} - served - via)
            print(f"NOT applied (core kinds the test API server does not serve; checked only by `render`): "
                  f"{', '.join(left)}")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def extender_verbs():
    """The verbs the extender's router answers under its URL prefix (ServiceMetrics::verb_name)."""
    path = os.path.join(ROOT, "extender", "server", "service_metrics.cpp")
    text = open(path).read() if os.path.exists(path) else ""
    body = text[text.find("ServiceMetrics::verb_name"):]
    verbs = set(re.findall(r'return "([a-z]+)";', body[:body.find("\n}")])) - {"unknown"}
    check(verbs, f"no verb names found in {path}")
    return verbs


def source_flags(paths, patterns):
    found = set()
    for rel in paths:
        path = os.path.join(ROOT, rel)
        if os.path.exists(path):
            text = open(path).read()
            for pat in patterns:
                found |= set(re.findall(pat, text))
    return found


def cmd_flags():
    """Every flag the chart passes (in any mode) is one the program's source defines."""
    helm = tool("helm")
    passed = {"agent": set(), "extender": set(), "controller": set()}
    for mode, sets in MODES.items():
        objs = objects(render(helm, sets))
        for o in by_kind(objs, "DaemonSet") + by_kind(objs, "Deployment"):
            for c in o["spec"]["template"]["spec"]["containers"]:
                comp = {"agent": "agent", "extender": "extender", "controller": "controller"}.get(c["name"])
                if comp:
                    passed[comp] |= set(args_of(c))
    opt = r'\(\s*"([a-z][a-z0-9-]*)(?:,[a-z])?"\s*,'
    known = {
        "agent": source_flags(["agent/config/agent_config.cpp"], [r'"([a-z][a-z0-9-]*)"']),
        "extender": source_flags(["extender/main.cpp", "extender/config/decision_options.cpp"], [opt]),
        "controller": source_flags(["controller/controller_flags.cpp"], [opt]),
    }
    kube = {"kubeconfig", "context", "kube-api-qps", "kube-api-burst", "leader-elect", "leader-elect-lease-duration",
            "leader-elect-renew-deadline", "leader-elect-retry-period", "leader-elect-resource-name",
            "leader-elect-resource-namespace",
            "logging-format", "log-format"}  # kube/flags (AddClientFlags, AddLeaderElectionFlags, AddLoggingFormatFlags)
    for comp, src in (("controller", "controller/controller_flags.cpp"), ("extender", "extender/main.cpp")):
        text = open(os.path.join(ROOT, src)).read()
        if any(f in text for f in ("AddLeaderElectionFlags", "AddClientFlags", "AddLoggingFormatFlags")):
            known[comp] |= kube
    for comp, flags in passed.items():
        check(known[comp], f"{comp}: no flag definitions found in its sources (did they move?)")
        unknown = sorted(flags - known[comp])
        check(not unknown, f"{comp}: the chart passes flags the program does not define: {unknown}")
        print(f"{comp}: {len(flags)} flags, {'all defined' if not unknown else 'UNKNOWN ' + str(unknown)}")


def main():
    cmds = {"lint": cmd_lint, "render": cmd_render, "manifests": cmd_manifests, "apply": cmd_apply,
            "flags": cmd_flags}
    if len(sys.argv) != 2 or sys.argv[1] not in cmds:
        print(__doc__)
        return 2
    try:
        cmds[sys.argv[1]]()
    except RuntimeError as e:
        failures.append(str(e))
    for f in failures:
        print("FAIL:", f)
    print("PASS" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
