#!/usr/bin/env bash
# Entrypoint wrapper for the Flink containers of docker-compose.yml.
#
# A fresh named volume is mounted root-owned, but Flink runs as the unprivileged `flink` user (the image's
# /docker-entrypoint.sh drops privileges), so checkpoints could not be written. This makes the checkpoint volume
# (and its checkpoints/ and savepoints/ sub-directories) writable for `flink`, then hands over to the image's own
# entrypoint with the original arguments (jobmanager | taskmanager | ...).
set -euo pipefail

dir="${STREAMREC_CHECKPOINT_VOLUME:-/opt/flink/checkpoints}"
if [ "$(id -u)" = "0" ]; then
  mkdir -p "$dir/checkpoints" "$dir/savepoints"
  chown flink:flink "$dir" "$dir/checkpoints" "$dir/savepoints"
fi

exec /docker-entrypoint.sh "$@"
