#!/bin/sh
# thirdring's accounts on a RabbitMQ 3.10 cluster with the MQTT plugin, one per line on stdin:
#
#   branch   <site> <password>   # user bridge-<site>: publishes and subscribes only under thirdring/<site>/
#   recorder <user> <password>   # subscribes to thirdring/+/log; its client ids start with thirdring-recorder-
#   reader   <user> <password>   # subscribes to thirdring/+/log (facilities staff: thirdring log)
#
#   accounts.sh < accounts.txt                        # imports them (rabbitmqctl import_definitions)
#   accounts.sh --print < accounts.txt > defs.json    # only prints the definitions
#
# Users and permissions are cluster-wide: run it on any one node. RABBITMQCTL (default rabbitmqctl) and
# RABBITMQ_VHOST (default /) may be set. Importing again updates passwords and permissions. docs/topologies.md
# explains each permission.
set -eu
vhost=${RABBITMQ_VHOST:-/}
users= permissions= topics=

add() { # user password configure/write/read-queue topic-write topic-read
  users="$users${users:+,}{\"name\":\"$1\",\"password\":\"$2\",\"tags\":\"\"}"
  # configure, write and read: its own subscription queue, and amq.topic (publish to it, bind a queue to it).
  permissions="$permissions${permissions:+,}{\"user\":\"$1\",\"vhost\":\"$vhost\",\"configure\":\"$3\",\"write\":\"$3|^amq\\\\.topic\$\",\"read\":\"$3|^amq\\\\.topic\$\"}"
  # Routing keys are MQTT topics with . for /: write = what it may publish, read = what it may subscribe to.
  topics="$topics${topics:+,}{\"user\":\"$1\",\"vhost\":\"$vhost\",\"exchange\":\"amq.topic\",\"write\":\"$4\",\"read\":\"$5\"}"
}

# MQTT's + is * in a binding key: a subscription to thirdring/+/log binds thirdring.*.log.
log_topics='^thirdring\\.(\\*|[a-z0-9-]+)\\.log$'
while read -r kind name password; do
  case $kind in '' | '#'*) continue ;; esac
  case "$name$password" in *[\"\\\ ]*) echo "accounts.sh: no quotes, backslashes or spaces in $name's line, please" >&2; exit 2 ;; esac
  case $kind in
    # The bridge's client id is thirdring-bridge-<site>: its (clean session) queue is the only one it may declare.
    branch) add "bridge-$name" "$password" "^mqtt-subscription-thirdring-bridge-${name}qos[01]\$" "^thirdring\\\\.$name\\\\." "^thirdring\\\\.$name\\\\." ;;
    recorder) add "$name" "$password" '^mqtt-subscription-thirdring-recorder-[a-z0-9-]+qos[01]$' '^$' "$log_topics" ;;
    # thirdring log connects with mqtt.js's random mqttjs_… client id and a clean session.
    reader) add "$name" "$password" '^mqtt-subscription-mqttjs_[0-9a-f]+qos[01]$' '^$' "$log_topics" ;;
    *) echo "accounts.sh: unknown kind '$kind' (branch, recorder or reader)" >&2; exit 2 ;;
  esac
done

json="{\"users\":[$users],\"permissions\":[$permissions],\"topic_permissions\":[$topics]}"
if [ "${1:-}" = --print ]; then printf "%s\n" "$json"; exit 0; fi
file=$(mktemp)
trap 'rm -f "$file"' EXIT
printf "%s\n" "$json" > "$file"
${RABBITMQCTL:-rabbitmqctl} import_definitions "$file"
