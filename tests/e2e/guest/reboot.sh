#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# reboot.sh - the second e2e boot (installed as /etc/tzucon/rc): the same
# persistent storage file as the first boot, and a kernel command line that
# weakens tz_hooks (tz_hooks.permissive=1). What must hold after a reboot:
# the rollback floor and the used admin counter, and the secure world's own
# verdict on the command line (integrity_state violated, so the module
# rules of kernel-integrity refuse even the allow-listed module).
# Judged on the host against tests/e2e/expected-reboot.txt.
B=/e2e/bin
P=/e2e/policies
M=/e2e/modules
PCTL=${PCTL:-policyctl}

. /e2e/lib.sh

echo "E2E-INFO cmdline=$(cat /proc/cmdline)"
echo 1 > /proc/sys/kernel/printk
block status boot "$PCTL" status --json
# The boot policy is in force: no module loads before the owner's policy.
"$B"/e2e_modload reboot.boot.mod "$M"/e2e_mod_allowed.ko e2e_mod_allowed
# Rollback survives the reboot: older versions stay refused, the accepted
# blob itself still loads. The first boot accepted e2e-cache last (its
# decision-cache cases), so e2e-next is older than the floor now.
refused reboot.blob.old "$PCTL" load "$P"/e2e-old.blob
refused reboot.blob.first "$PCTL" load "$P"/e2e.blob
refused reboot.blob.samever "$PCTL" load "$P"/e2e-samever.blob
refused reboot.blob.next "$PCTL" load "$P"/e2e-next.blob
refused reboot.blob.accepted "$PCTL" load "$P"/e2e-cache.blob
# A token used in the first boot (its nonce was that boot's).
refused reboot.token.replay "$PCTL" mode enforce --token /e2e/boot1.token
# integrity_state = 2 from the weakened command line: kernel-integrity
# 340/341 refuse the allow-listed module too.
"$B"/e2e_modload reboot.mod.allowed "$M"/e2e_mod_allowed.ko e2e_mod_allowed
block status final "$PCTL" status --json
block dmesg final dmesg
block audit final "$PCTL" audit --verify
final_report
