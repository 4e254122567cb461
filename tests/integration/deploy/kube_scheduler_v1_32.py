"""Strict validation of a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) against the
fields kube-scheduler v1.32 accepts, and the validation rules it applies to the parts numalign uses.

Field sets written from kubernetes/kubernetes staging/src/k8s.io/kube-scheduler/config/v1/types.go
and k8s.io/component-base/config/v1alpha1 (LeaderElectionConfiguration,
ClientConnectionConfiguration, DebuggingConfiguration inlined), at v1.32. kube-scheduler decodes its
config file strictly (unknown or duplicate fields are errors), so this does too. Fields added after
v1.32 (percentageOfPlacementsToScore, placement* extension points, podGroupPostFilter) are
rejected on purpose.
"""
import re

TOP = {
    "apiVersion", "kind", "parallelism", "leaderElection", "clientConnection",
    "enableProfiling", "enableContentionProfiling",  # DebuggingConfiguration, inlined
    "percentageOfNodesToScore", "podInitialBackoffSeconds", "podMaxBackoffSeconds",
    "profiles", "extenders", "delayCacheUntilActive",
}
LEADER_ELECTION = {"leaderElect", "leaseDuration", "renewDeadline", "retryPeriod", "resourceLock",
                   "resourceName", "resourceNamespace"}
CLIENT_CONNECTION = {"kubeconfig", "acceptContentTypes", "contentType", "qps", "burst"}
PROFILE = {"schedulerName", "percentageOfNodesToScore", "plugins", "pluginConfig"}
EXTENSION_POINTS = {"preEnqueue", "queueSort", "preFilter", "filter", "postFilter", "preScore",
                    "score", "reserve", "permit", "preBind", "bind", "postBind", "multiPoint"}
PLUGIN_SET = {"enabled", "disabled"}
PLUGIN = {"name", "weight"}
PLUGIN_CONFIG = {"name", "args"}
EXTENDER = {"urlPrefix", "filterVerb", "preemptVerb", "prioritizeVerb", "weight", "bindVerb",
            "enableHTTPS", "tlsConfig", "httpTimeout", "nodeCacheCapable", "managedResources",
            "ignorable"}
MANAGED_RESOURCE = {"name", "ignoredByScheduler"}
TLS_CONFIG = {"insecure", "serverName", "certFile", "keyFile", "caFile", "certData", "keyData",
              "caData"}

_DURATION = re.compile(r"^-?([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def duration_seconds(text):
    """Go time.ParseDuration subset (metav1.Duration); raises ValueError."""
    if not isinstance(text, str) or not _DURATION.match(text):
        raise ValueError(f"not a Go duration: {text!r}")
    return sum(float(n) * _UNITS[u] for n, _, u in re.findall(r"([0-9]+(\.[0-9]+)?)(ns|us|µs|ms|s|m|h)", text))


def _fields(obj, allowed, where, errors):
    if not isinstance(obj, dict):
        errors.append(f"{where}: expected an object, got {type(obj).__name__}")
        return False
    for key in obj:
        if key not in allowed:
            errors.append(f"{where}: unknown field \"{key}\" (strict decoding error)")
    return True


def _type(value, types, where, errors):
    if isinstance(value, bool) and bool not in types:
        errors.append(f"{where}: expected {types}, got bool")
    elif not isinstance(value, types):
        errors.append(f"{where}: expected {types}, got {type(value).__name__}")


def validate(cfg):
    """Returns a list of errors; empty when kube-scheduler v1.32 would accept the configuration."""
    errors = []
    if not _fields(cfg, TOP, "KubeSchedulerConfiguration", errors):
        return errors
    if cfg.get("apiVersion") != "kubescheduler.config.k8s.io/v1":
        errors.append(f"apiVersion: {cfg.get('apiVersion')!r} is not kubescheduler.config.k8s.io/v1")
    if cfg.get("kind") != "KubeSchedulerConfiguration":
        errors.append(f"kind: {cfg.get('kind')!r}")
    if "parallelism" in cfg:
        _type(cfg["parallelism"], (int,), "parallelism", errors)
        if isinstance(cfg["parallelism"], int) and cfg["parallelism"] <= 0:
            errors.append("parallelism: must be greater than 0")
    pct = cfg.get("percentageOfNodesToScore")
    if pct is not None and (not isinstance(pct, int) or isinstance(pct, bool) or not 0 <= pct <= 100):
        errors.append("percentageOfNodesToScore: not in valid range [0-100]")

    le = cfg.get("leaderElection", {})
    if _fields(le, LEADER_ELECTION, "leaderElection", errors) and le.get("leaderElect", True):
        _type(le.get("leaderElect", True), (bool,), "leaderElection.leaderElect", errors)
        secs = {}
        for key in ("leaseDuration", "renewDeadline", "retryPeriod"):
            if key in le:
                try:
                    secs[key] = duration_seconds(le[key])
                    if secs[key] <= 0:
                        errors.append(f"leaderElection.{key}: must be greater than zero")
                except ValueError as e:
                    errors.append(f"leaderElection.{key}: {e}")
        defaults = {"leaseDuration": 15, "renewDeadline": 10, "retryPeriod": 2}
        lease, renew, retry = (secs.get(k, defaults[k]) for k in ("leaseDuration", "renewDeadline", "retryPeriod"))
        if lease <= renew:
            errors.append("leaderElection.leaseDuration: must be greater than renewDeadline")
        if renew <= 1.2 * retry:
            errors.append("leaderElection.renewDeadline: must be greater than retryPeriod*JitterFactor")
        for key in ("resourceLock", "resourceName", "resourceNamespace"):
            if key in le and (not isinstance(le[key], str) or not le[key]):
                errors.append(f"leaderElection.{key}: must not be empty")
        if le.get("resourceLock", "leases") not in ("leases",):
            errors.append("leaderElection.resourceLock: only 'leases' is supported since v1.24's removals")

    cc = cfg.get("clientConnection", {})
    if _fields(cc, CLIENT_CONNECTION, "clientConnection", errors):
        if "qps" in cc:
            _type(cc["qps"], (int, float), "clientConnection.qps", errors)
        if "burst" in cc:
            _type(cc["burst"], (int,), "clientConnection.burst", errors)

    names = set()
    profiles = cfg.get("profiles", [])
    if not isinstance(profiles, list):
        errors.append("profiles: expected a list")
        profiles = []
    for i, prof in enumerate(profiles):
        where = f"profiles[{i}]"
        if not _fields(prof, PROFILE, where, errors):
            continue
        name = prof.get("schedulerName", "default-scheduler")
        if not isinstance(name, str) or not name:
            errors.append(f"{where}.schedulerName: Required value")
        elif name in names:
            errors.append(f"{where}.schedulerName: Duplicate value {name!r}")
        names.add(name)
        plugins = prof.get("plugins", {})
        if _fields(plugins, EXTENSION_POINTS, f"{where}.plugins", errors):
            for point, pset in plugins.items():
                if _fields(pset, PLUGIN_SET, f"{where}.plugins.{point}", errors):
                    for kind in ("enabled", "disabled"):
                        for j, plugin in enumerate(pset.get(kind, []) or []):
                            pw = f"{where}.plugins.{point}.{kind}[{j}]"
                            if _fields(plugin, PLUGIN, pw, errors) and not plugin.get("name"):
                                errors.append(f"{pw}.name: Required value")
        seen = set()
        for j, pc in enumerate(prof.get("pluginConfig", []) or []):
            pw = f"{where}.pluginConfig[{j}]"
            if _fields(pc, PLUGIN_CONFIG, pw, errors):
                if not pc.get("name"):
                    errors.append(f"{pw}.name: Required value")
                elif pc["name"] in seen:
                    errors.append(f"{pw}.name: Duplicate value {pc['name']!r}")
                seen.add(pc.get("name"))

    binders = 0
    for i, ext in enumerate(cfg.get("extenders", []) or []):
        where = f"extenders[{i}]"
        if not _fields(ext, EXTENDER, where, errors):
            continue
        if not isinstance(ext.get("urlPrefix"), str) or not ext.get("urlPrefix"):
            errors.append(f"{where}.urlPrefix: Required value")
        elif not re.match(r"^https?://", ext["urlPrefix"]):
            errors.append(f"{where}.urlPrefix: not an http(s) URL")
        elif ext["urlPrefix"].startswith("https://") != bool(ext.get("enableHTTPS", False)):
            errors.append(f"{where}: enableHTTPS does not match the urlPrefix scheme")
        for verb in ("filterVerb", "preemptVerb", "prioritizeVerb", "bindVerb"):
            if verb in ext:
                _type(ext[verb], (str,), f"{where}.{verb}", errors)
        for flag in ("enableHTTPS", "nodeCacheCapable", "ignorable"):
            if flag in ext:
                _type(ext[flag], (bool,), f"{where}.{flag}", errors)
        weight = ext.get("weight", 0)
        if ext.get("prioritizeVerb") and (not isinstance(weight, int) or isinstance(weight, bool) or weight <= 0):
            errors.append(f"{where}.weight: must have a positive weight applied to it")
        if ext.get("bindVerb"):
            binders += 1
        if "httpTimeout" in ext:
            try:
                if duration_seconds(ext["httpTimeout"]) < 0:
                    errors.append(f"{where}.httpTimeout: must be non-negative")
            except ValueError as e:
                errors.append(f"{where}.httpTimeout: {e}")
        if "tlsConfig" in ext:
            if _fields(ext["tlsConfig"], TLS_CONFIG, f"{where}.tlsConfig", errors):
                if not ext.get("enableHTTPS"):
                    errors.append(f"{where}.tlsConfig: set but enableHTTPS is false")
        seen = set()
        for j, mr in enumerate(ext.get("managedResources", []) or []):
            mw = f"{where}.managedResources[{j}]"
            if _fields(mr, MANAGED_RESOURCE, mw, errors):
                name = mr.get("name", "")
                # validateExtendedResourceName: a qualified name outside kubernetes.io, not requests.*
                if not re.match(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", name) \
                        or name.split("/")[0].endswith("kubernetes.io"):
                    errors.append(f"{mw}.name: {name!r} is not an extended resource name")
                if name in seen:
                    errors.append(f"{mw}.name: duplicate {name!r}")
                seen.add(name)
    if binders > 1:
        errors.append("extenders: found 2 or more extenders with bindVerb; only one is allowed")
    return errors
