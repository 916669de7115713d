/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* boot_policy.S - embeds the signed boot policy blob (read-only data). The
 * engine verifies it like any other blob; 8-byte alignment as it requires. */
	.section .rodata.boot_policy, "a"
	.balign 8
	.global tzucon_boot_policy
tzucon_boot_policy:
	.incbin TZUCON_BOOT_POLICY_BLOB
	.global tzucon_boot_policy_end
tzucon_boot_policy_end:
