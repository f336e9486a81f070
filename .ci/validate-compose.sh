#!/usr/bin/env bash
# Validates docker-compose.yml (or the file given as $1) without needing a Docker daemon.
#
# Order of preference:
#   1. `docker compose config -q`  (Compose v2 plugin; `config` does not talk to the daemon)
#   2. `docker-compose config -q`  (v1, e.g. Debian's docker-compose 1.29 package)
#   3. install Debian's docker-compose (apt-get, non-interactive, with timeouts) when running as root
#      (or with password-less sudo), then 2.
#   4. a structural YAML check with python3 + PyYAML (services, images, depends_on targets, named volumes).
#   5. nothing usable: say so and exit 0 (the file was not shown to be invalid).
# Exit status: 0 = valid (or not checkable), 1 = invalid, 2 = usage error.
# Set STREAMREC_NO_INSTALL=1 to skip step 3.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
file="${1:-$root/docker-compose.yml}"
[ -f "$file" ] || { echo "validate-compose: $file not found" >&2; exit 2; }
file="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
cd "$(dirname "$file")"

say() { echo "validate-compose: $*"; }

# The knobs have defaults in the file; these only silence "variable is not set" warnings for none.
export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-streamrec}"

structure_check() {
  command -v python3 >/dev/null 2>&1 || return 3
  python3 -c 'import yaml' >/dev/null 2>&1 || return 3
  python3 - "$file" <<'PY'
import sys, yaml
path = sys.argv[1]
try:
    with open(path) as f:
        doc = yaml.safe_load(f)
except yaml.YAMLError as e:
    print(f"validate-compose: YAML syntax error: {e}"); sys.exit(1)
errors = []
if not isinstance(doc, dict) or not isinstance(doc.get("services"), dict) or not doc["services"]:
    print("validate-compose: no 'services' mapping"); sys.exit(1)
services = doc["services"]
declared_volumes = set((doc.get("volumes") or {}).keys())
for name, svc in services.items():
    if not isinstance(svc, dict):
        errors.append(f"service {name}: not a mapping"); continue
    if "image" not in svc and "build" not in svc:
        errors.append(f"service {name}: neither image nor build")
    deps = svc.get("depends_on") or []
    for dep in (deps.keys() if isinstance(deps, dict) else deps):
        if dep not in services:
            errors.append(f"service {name}: depends_on unknown service {dep}")
        elif isinstance(deps, dict):
            cond = (deps[dep] or {}).get("condition", "service_started")
            if cond not in ("service_started", "service_healthy", "service_completed_successfully"):
                errors.append(f"service {name}: unknown depends_on condition {cond}")
            if cond == "service_healthy" and "healthcheck" not in services[dep]:
                errors.append(f"service {name}: waits for {dep} to be healthy, but {dep} has no healthcheck")
    for v in svc.get("volumes") or []:
        src = v.split(":", 1)[0] if isinstance(v, str) else (v or {}).get("source", "")
        if isinstance(v, str) and ":" in v and not src.startswith((".", "/", "~", "$")) and src not in declared_volumes:
            errors.append(f"service {name}: named volume {src} is not declared under top-level volumes")
for e in errors:
    print(f"validate-compose: {e}")
sys.exit(1 if errors else 0)
PY
}

run_compose() { # $@ = compose command words
  local out rc
  out="$("$@" -f "$file" config -q 2>&1)"; rc=$?
  [ -n "$out" ] && printf '%s\n' "$out"
  if [ $rc -eq 0 ]; then
    say "OK: '$* config -q' accepts $(basename "$file")"
  else
    say "INVALID according to '$* config -q' (exit $rc)"
  fi
  return $rc
}

compose_cmd=()
if docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose_cmd=(docker-compose)
elif [ "${STREAMREC_NO_INSTALL:-0}" != "1" ] && command -v apt-get >/dev/null 2>&1; then
  sudo_cmd=()
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then sudo_cmd=(sudo -n); else sudo_cmd=(none); fi
  fi
  if [ "${sudo_cmd[0]:-}" = "none" ]; then
    say "not root and no password-less sudo: cannot install docker-compose; falling back to a structural check"
  else
    say "installing Debian's docker-compose (apt-get) ..."
    export DEBIAN_FRONTEND=noninteractive
    if timeout 300 "${sudo_cmd[@]}" apt-get update -qq >/dev/null 2>&1 &&
       timeout 600 "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1 &&
       command -v docker-compose >/dev/null 2>&1; then
      compose_cmd=(docker-compose)
    else
      say "could not install docker-compose (offline or no permission); falling back to a structural check"
    fi
  fi
fi

if [ ${#compose_cmd[@]} -gt 0 ]; then
  run_compose "${compose_cmd[@]}"; rc=$?
  # The structural check adds the cross-service rules compose does not enforce (healthcheck behind service_healthy).
  if [ $rc -eq 0 ]; then structure_check; s=$?; [ $s -eq 1 ] && rc=1; fi
  exit $rc
fi

structure_check; rc=$?
case $rc in
  0) say "OK: structural check of $(basename "$file") passed (no docker compose / docker-compose available)"; exit 0 ;;
  1) say "INVALID: structural check failed"; exit 1 ;;
  *) say "WARNING: cannot validate $(basename "$file"): neither 'docker compose', 'docker-compose' nor python3 with PyYAML is available"; exit 0 ;;
esac
