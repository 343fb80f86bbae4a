#!/usr/bin/env bash
# RabbitMQ under docker compose: fill the definitions template with the values of the
# environment variables it names (@VAR@: the administrator's name and every password), write
# the result where rabbitmq.conf's load_definitions points (a tmpfs, readable by the broker
# only), then hand over to the image's own entry point. Values must be URL-safe
# ([A-Za-z0-9._~-]; passwords at least 16 characters): they also go into the services' URLs.
set -euo pipefail
template=${XRPBOT_DEFINITIONS_TEMPLATE:-/etc/rabbitmq/xrpbot/definitions.template.json}
target=${XRPBOT_DEFINITIONS:-/run/xrpbot/definitions.json}

text=$(<"$template")
while [[ $text =~ @([A-Z][A-Z0-9_]*)@ ]]; do
  name=${BASH_REMATCH[1]}
  value=${!name:-}
  minimum=1
  [[ $name == *_PASSWORD ]] && minimum=16
  if [[ ! $value =~ ^[A-Za-z0-9._~-]+$ ]] || ((${#value} < minimum)); then
    echo "xrpbot: $name must be set in .env: at least $minimum of A-Z a-z 0-9 . _ ~ - (e.g. openssl rand -hex 32)" >&2
    exit 64
  fi
  text=${text//"@$name@"/$value}  # builtin: no value ever appears on a command line
done

umask 077
folder=$(dirname "$target")
owned=("$target")
if [[ ! -d $folder ]]; then
  mkdir -p "$folder"
  owned+=("$folder")
fi
printf '%s\n' "$text" >"$target"
if [[ $(id -u) == 0 ]]; then  # the image's entry point then runs the broker as rabbitmq
  chown rabbitmq:rabbitmq "${owned[@]}"
fi
exec docker-entrypoint.sh "$@"
