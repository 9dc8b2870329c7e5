#!/usr/bin/env bash
# SSH access for the Docker provider's ssh:// hosts. The provider dials them through Docker's
# connection helper, which runs `ssh` from PATH (docker/cli, cli/connhelper: commandconn.New(ctx,
# "ssh", ...)): so a wrapper first on PATH adds this key and these known hosts, and nothing is written
# to ~/.ssh or left in an agent on a self-hosted runner. Everything lives in RUNNER_TEMP, which the
# runner empties after the job. Host keys are never learnt on first use: SSH_KNOWN_HOSTS is required.
set -euo pipefail

if [ -z "${SSH_KNOWN_HOSTS:-}" ]; then
    echo "::error::SSH_PRIVATE_KEY is set but SSH_KNOWN_HOSTS is not: add the Docker hosts' known_hosts lines (ssh-keyscan HOST, checked against the host's own key) as that secret"
    exit 1
fi
real_ssh=$(command -v ssh) || { echo "::error::no ssh client on this runner: install openssh-client"; exit 1; }
dir="$RUNNER_TEMP/cascade-ssh"
install -d -m 700 "$dir" "$dir/bin"
(umask 077 && printf '%s\n' "$SSH_PRIVATE_KEY" > "$dir/key" && printf '%s\n' "$SSH_KNOWN_HOSTS" > "$dir/known_hosts")
cat > "$dir/bin/ssh" <<WRAPPER
#!/bin/sh
exec "$real_ssh" -o IdentitiesOnly=yes -o IdentityFile="$dir/key" -o UserKnownHostsFile="$dir/known_hosts" -o StrictHostKeyChecking=yes -o BatchMode=yes "\$@"
WRAPPER
chmod 700 "$dir/bin/ssh"
echo "$dir/bin" >> "$GITHUB_PATH"
echo "ssh for Docker hosts: key and known hosts from secrets ($(grep -c . "$dir/known_hosts") known_hosts lines)"
