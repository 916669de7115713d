/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * tzucon_abi.h - the one wire format between the normal world (kernel LSM,
 * TEE driver, policyctl) and the secure world (monitor + UCON engine).
 *
 * Used unchanged by kernel C, bare-metal C++ and host C++. Rules:
 *  - every field is fixed-width and little-endian (Zynq-7000 is LE; the
 *    secure side still validates every field it reads);
 *  - explicit padding, no enums, bool, bitfields or pointers in structs;
 *  - every message starts with struct tzu_hdr (magic, ABI version, size,
 *    command); sizes are checked at compile time (TZU_ABI_ASSERT below).
 *
 * Data flow: tz_hooks (LSM) -> tz_driver (TEE backend) -> [this ABI, SMC]
 *            -> secure/monitor -> secure/ucon_engine -> decision -> hook.
 */
#ifndef TZUCON_ABI_H
#define TZUCON_ABI_H

#if defined(__KERNEL__)
#include <linux/types.h>
typedef __u8 tzu_u8;
typedef __u16 tzu_u16;
typedef __u32 tzu_u32;
typedef __u64 tzu_u64;
#else
#include <stdint.h>
typedef uint8_t tzu_u8;
typedef uint16_t tzu_u16;
typedef uint32_t tzu_u32;
typedef uint64_t tzu_u64;
#endif

/* ------------------------------------------------------------------ */
/* Versioning                                                          */
/* ------------------------------------------------------------------ */
#define TZU_MAGIC		0x43555a54u	/* "TZUC" little-endian */
#define TZU_ABI_VERSION		5u

/* ------------------------------------------------------------------ */
/* Message header: first 16 bytes of every request and response.       */
/* ------------------------------------------------------------------ */
struct tzu_hdr {
	tzu_u32 magic;		/* TZU_MAGIC */
	tzu_u16 version;	/* TZU_ABI_VERSION */
	tzu_u16 command;	/* TZU_CMD_* */
	tzu_u32 size;		/* whole message size incl. this header */
	tzu_u32 status;		/* responses: TZU_OK or TZU_E_*; requests: 0 */
};

/* ------------------------------------------------------------------ */
/* Hooks (event sources). Values are bit positions in interest masks.  */
/* ------------------------------------------------------------------ */
#define TZU_HOOK_NONE			0u
#define TZU_HOOK_MMAP_FILE		1u  /* mmap with PROT_EXEC (file or anon) */
#define TZU_HOOK_FILE_MPROTECT		2u  /* mprotect adding PROT_EXEC / W->X */
#define TZU_HOOK_KERNEL_READ_FILE	3u  /* module/kexec/firmware from a file */
#define TZU_HOOK_KERNEL_LOAD_DATA	4u  /* module/kexec/firmware from a buffer */
#define TZU_HOOK_MODULE_REQUEST		5u  /* request_module(name) */
#define TZU_HOOK_BPF_PROG_LOAD		6u  /* bpf(BPF_PROG_LOAD) */
#define TZU_HOOK_DEVMEM_OPEN		7u  /* open of /dev/mem, /dev/kmem */
#define TZU_HOOK_PTRACE_ACCESS		8u  /* ptrace_access_check */
#define TZU_HOOK_KEY_ALLOC		9u  /* key_alloc */
#define TZU_HOOK_KEY_PERMISSION		10u /* key_permission */
#define TZU_HOOK_ALG_SOCKET		11u /* socket(AF_ALG, ...) */
#define TZU_HOOK_ALG_BIND		12u /* bind() of an AF_ALG socket */
#define TZU_HOOK_TASK_FIX_SETUID	13u /* credential change */
#define TZU_HOOK_USAGE_END		14u /* end of a usage session */
#define TZU_HOOK_TASK_EXIT		15u /* process exit: ends its sessions */
#define TZU_HOOK_KEY_FREE		16u /* key destroyed: ends its sessions */
#define TZU_HOOK_COUNT			17u /* number of hook ids (mask width) */

/* object.kind for TZU_HOOK_KERNEL_READ_FILE / _LOAD_DATA */
#define TZU_LOAD_MODULE			1u
#define TZU_LOAD_KEXEC_IMAGE		2u
#define TZU_LOAD_KEXEC_INITRAMFS	3u
#define TZU_LOAD_FIRMWARE		4u
#define TZU_LOAD_POLICY			5u
#define TZU_LOAD_OTHER			6u

/* Protection bits as in Linux <asm-generic/mman-common.h> */
#define TZU_PROT_READ			0x1u
#define TZU_PROT_WRITE			0x2u
#define TZU_PROT_EXEC			0x4u

/* event.flags */
#define TZU_EVF_EXE_DIGEST		0x1u /* subject.exe_sha256 is valid */
#define TZU_EVF_OBJ_DIGEST		0x2u /* object.sha256 is valid */
#define TZU_EVF_ANON			0x4u /* mapping has no backing file */
#define TZU_EVF_WRITTEN			0x8u /* file_mprotect: the mapping may hold
					* data written since it was mapped
					* (docs/kernel.md, memory hooks) */
/* All flags; the secure side rejects an event with any other bit. */
#define TZU_EVF_ALL			(TZU_EVF_EXE_DIGEST | TZU_EVF_OBJ_DIGEST | \
					 TZU_EVF_ANON | TZU_EVF_WRITTEN)

#define TZU_COMM_LEN			16u
#define TZU_TYPE_LEN			32u
#define TZU_NAME_LEN			64u
#define TZU_SHA256_LEN			32u

/* ------------------------------------------------------------------ */
/* Event: what the kernel saw. All strings are NUL-padded; the secure  */
/* side rejects a string without a NUL inside its array.               */
/* ------------------------------------------------------------------ */
struct tzu_subject {
	tzu_u32 pid;
	tzu_u32 tgid;
	tzu_u32 uid;
	tzu_u32 euid;
	tzu_u32 gid;
	tzu_u32 egid;
	tzu_u32 exe_dev;	/* executable identity: dev + inode + ... */
	tzu_u32 exe_gen;	/* ... generation (inode reuse changes it) ... */
	tzu_u64 exe_ino;
	tzu_u64 start_time;	/* process identity: tgid + leader start (ns) */
	tzu_u8 exe_sha256[TZU_SHA256_LEN]; /* ... and/or digest (EVF_EXE_DIGEST) */
	char comm[TZU_COMM_LEN];
};

/*
 * Object fields, by hook (unused fields are zero):
 *  MMAP_FILE       addr,len,prot,flags(MAP_*),dev,ino,mode,name(path tail)
 *  FILE_MPROTECT   addr,len,prot(new),old_prot,dev,ino,name
 *  KERNEL_READ_FILE/KERNEL_LOAD_DATA
 *                  kind(TZU_LOAD_*),len(size),sha256,name(module/fw name)
 *  MODULE_REQUEST  name
 *  BPF_PROG_LOAD   kind(prog type),len(insn count)
 *  DEVMEM_OPEN     flags(open flags),dev,ino,mode,name("mem"/"kmem")
 *  PTRACE_ACCESS   id(target tgid),flags(ptrace mode)
 *  KEY_ALLOC       id(serial),type(key type),name(description),flags
 *  KEY_PERMISSION  id(serial),type,name,flags(requested perm)
 *  ALG_SOCKET      kind(socket type)
 *  ALG_BIND        type(salg_type),name(salg_name)
 *  TASK_FIX_SETUID id(new uid),flags(new euid),kind(LSM_SETID_*)
 *  USAGE_END       id(session id)
 *  TASK_EXIT       (subject only)
 *  KEY_FREE        id(serial)
 */
struct tzu_object {
	tzu_u64 addr;
	tzu_u64 len;
	tzu_u32 prot;
	tzu_u32 old_prot;
	tzu_u32 flags;
	tzu_u32 kind;
	tzu_u32 id;
	tzu_u32 dev;
	tzu_u64 ino;
	tzu_u32 mode;
	tzu_u32 pad0;
	tzu_u8 sha256[TZU_SHA256_LEN];
	char type[TZU_TYPE_LEN];
	char name[TZU_NAME_LEN];
};

struct tzu_event {
	struct tzu_hdr hdr;	/* command = TZU_CMD_DECIDE */
	tzu_u64 seq;		/* monotonic per normal world */
	tzu_u32 hook;		/* TZU_HOOK_* */
	tzu_u32 flags;		/* TZU_EVF_* */
	tzu_u32 cpu;		/* CPU that raised the event */
	tzu_u32 pad0;
	struct tzu_subject subject;
	struct tzu_object object;
};

/* ------------------------------------------------------------------ */
/* Decision                                                            */
/* ------------------------------------------------------------------ */
#define TZU_VERDICT_ALLOW		0u
#define TZU_VERDICT_DENY		1u

/* decision.flags */
#define TZU_DF_PERMISSIVE		0x01u /* decided in permissive mode */
#define TZU_DF_DEFAULT			0x02u /* no rule matched: policy default */
#define TZU_DF_SESSION_OPENED		0x04u /* session_id is a new session */
#define TZU_DF_NO_POLICY		0x08u /* no policy loaded */
#define TZU_DF_LIMIT			0x10u /* an engine limit was reached */
#define TZU_DF_FILTERED			0x20u /* hook outside the interest mask */
#define TZU_DF_WOULD_DENY		0x40u /* rule result was deny (see PERMISSIVE) */
#define TZU_DF_BOOT_POLICY		0x80u /* decided by the image's boot policy */
#define TZU_DF_AUDIT_FULL		0x100u /* denied: audit ring full (fail-closed) */
#define TZU_DF_CACHEABLE		0x200u /* the kernel may answer events of this
					* hook equal to this one on every field
					* in cache_fields with this verdict,
					* until the published cache epoch moves
					* on from cache_epoch (docs/kernel.md) */
#define TZU_DF_TASK_STATE		0x400u /* the secure world may now hold state
					* for the subject's process (a session
					* or a per-process attribute): its exit
					* must be reported (TZU_HOOK_TASK_EXIT) */
#define TZU_DF_LEASE			0x800u /* a use-lease: the kernel may answer
					* lease_uses more events of this hook
					* equal to this one on cache_fields
					* with this verdict (allow), counting
					* each in its lease word (below) while
					* the word holds lease_ticket; the
					* secure world has charged them already
					* and refunds what was not used when
					* it closes the word (docs/kernel.md) */

/* Obligations (bitmask) carried out by the normal world */
#define TZU_OBL_AUDIT			0x01u /* structured kernel log line */
#define TZU_OBL_KILL			0x02u /* kill the subject */
#define TZU_OBL_REVOKE			0x04u /* revoke sessions in revoked[] */
#define TZU_OBL_REMEASURE		0x08u /* ask for a kernel re-measurement */
#define TZU_OBL_NOTIFY			0x10u /* notify user space (notify_code) */
#define TZU_OBL_ALL			0x1fu

#define TZU_MAX_REVOKE			8u    /* revocations per decision */

/* Revocation reasons */
#define TZU_REVOKE_ONGOING		1u /* ongoing predicate became false */
#define TZU_REVOKE_POLICY		2u /* rule gone after a policy swap */

struct tzu_decision {
	struct tzu_hdr hdr;	/* command = TZU_CMD_DECIDE, status */
	tzu_u64 seq;		/* echoes event.seq */
	tzu_u32 verdict;	/* TZU_VERDICT_* (after mode) */
	tzu_u32 flags;		/* TZU_DF_* */
	tzu_u32 obligations;	/* TZU_OBL_* */
	tzu_u32 rule_id;	/* deciding rule, 0 = default */
	tzu_u32 epoch;		/* policy epoch that decided */
	tzu_u32 session_id;	/* valid with TZU_DF_SESSION_OPENED */
	tzu_u32 notify_code;	/* argument of TZU_OBL_NOTIFY */
	tzu_u32 interest_mask;	/* hooks the active policy cares about */
	tzu_u32 n_revoked;	/* entries used in revoked[] */
	tzu_u32 revoke_reason;	/* TZU_REVOKE_* */
	tzu_u32 revoked[TZU_MAX_REVOKE]; /* session ids */
	tzu_u32 revoked_tgid[TZU_MAX_REVOKE]; /* their subjects */
	tzu_u32 cache_epoch;	/* cache epoch the decision was made in */
	tzu_u32 cache_fields;	/* TZU_DF_CACHEABLE: bit TZU_FIELD_* set for
				 * every event field the hook's verdicts
				 * depend on (hook always) */
	tzu_u32 lease_ticket;	/* TZU_DF_LEASE: the lease word's ticket */
	tzu_u8 lease_slot;	/* TZU_DF_LEASE: word of the CPU's slot */
	tzu_u8 lease_cpu;	/* TZU_DF_LEASE: the CPU (slot) it is for */
	tzu_u16 lease_uses;	/* TZU_DF_LEASE: events it may answer */
};

/*
 * Event field ids: the policy language's fields (fields.cc) and the bits
 * of tzu_decision.cache_fields. Each names one member of struct tzu_event.
 */
#define TZU_FIELD_HOOK			0u  /* hook */
#define TZU_FIELD_SEQ			1u  /* seq */
#define TZU_FIELD_FLAGS			2u  /* flags */
#define TZU_FIELD_CPU			3u  /* cpu */
#define TZU_FIELD_PID			4u  /* subject.pid */
#define TZU_FIELD_TGID			5u  /* subject.tgid */
#define TZU_FIELD_UID			6u  /* subject.uid */
#define TZU_FIELD_EUID			7u  /* subject.euid */
#define TZU_FIELD_GID			8u  /* subject.gid */
#define TZU_FIELD_EGID			9u  /* subject.egid */
#define TZU_FIELD_EXE_DEV		10u /* subject.exe_dev */
#define TZU_FIELD_EXE_INO		11u /* subject.exe_ino */
#define TZU_FIELD_EXE_SHA256		12u /* subject.exe_sha256 */
#define TZU_FIELD_COMM			13u /* subject.comm */
#define TZU_FIELD_ADDR			14u /* object.addr */
#define TZU_FIELD_LEN			15u /* object.len */
#define TZU_FIELD_PROT			16u /* object.prot */
#define TZU_FIELD_OLD_PROT		17u /* object.old_prot */
#define TZU_FIELD_OBJ_FLAGS		18u /* object.flags */
#define TZU_FIELD_KIND			19u /* object.kind */
#define TZU_FIELD_ID			20u /* object.id */
#define TZU_FIELD_DEV			21u /* object.dev */
#define TZU_FIELD_INO			22u /* object.ino */
#define TZU_FIELD_MODE			23u /* object.mode */
#define TZU_FIELD_SHA256		24u /* object.sha256 */
#define TZU_FIELD_TYPE			25u /* object.type */
#define TZU_FIELD_NAME			26u /* object.name */
#define TZU_FIELD_EXE_GEN		27u /* subject.exe_gen */
#define TZU_FIELD_START_TIME		28u /* subject.start_time */
#define TZU_FIELD_COUNT			29u

/*
 * State the secure world publishes at TZU_SHM_STATE_OFFSET of the shared
 * window, written before every return to the normal world after a change
 * (a DECIDE, a yielding call, a secure timer tick). The kernel reads the
 * event's hook_epoch with one load before it answers it from its cache.
 * Only a hint for speed: the normal world can write it too, and nothing
 * the secure world enforces depends on it.
 */
#define TZU_STATE_MAGIC			0x54535a54u /* "TZST" */
#define TZU_STATE_HOOKS			32u /* hook_epoch[] entries */

struct tzu_shared_state {
	tzu_u32 magic;		/* TZU_STATE_MAGIC once published */
	tzu_u32 cache_epoch;	/* moves on with every policy load, mode
				 * change and attribute write; 0 = none
				 * (status only) */
	tzu_u32 epoch;		/* policy epoch */
	tzu_u32 pad0;
	/* Per TZU_HOOK_*: the same, but an attribute write moves only the
	 * hooks whose rules read the attribute; what decisions of the hook
	 * carry in cache_epoch. 0 = none. */
	tzu_u32 hook_epoch[TZU_STATE_HOOKS];
};

/* ------------------------------------------------------------------ */
/* Commands (hdr.command). The SMC function id of command C is         */
/* TZU_SMC_YIELD(C), except DECIDE which is the fast call TZU_SMC_DECIDE.*/
/* ------------------------------------------------------------------ */
#define TZU_CMD_OPEN_SESSION		1u
#define TZU_CMD_CLOSE_SESSION		2u
#define TZU_CMD_DECIDE			3u
#define TZU_CMD_LOAD_POLICY		4u
#define TZU_CMD_SET_MODE		5u
#define TZU_CMD_GET_STATS		6u
#define TZU_CMD_READ_AUDIT		7u
#define TZU_CMD_UPDATE_ATTR		8u
#define TZU_CMD_INTEGRITY_CHECK		9u
#define TZU_CMD_END_USAGE		10u
#define TZU_CMD_GET_CHALLENGE		11u
#define TZU_CMD_GET_REPORT		12u
#define TZU_CMD_AUDIT_CONFIG		13u
#define TZU_CMD_INTEGRITY_REGISTER	14u
#define TZU_CMD_INTEGRITY_MODULE	15u
#define TZU_CMD_HEARTBEAT		16u
#define TZU_CMD_INTEGRITY_STATUS	17u
#define TZU_CMD_COUNT			18u

/*
 * Authority (docs/threat-model.md). Nothing the normal world sends is
 * authority except: a policy blob signed by the policy key (LOAD_POLICY), a
 * request carrying a struct tzu_auth signed by the admin key ("[admin]"
 * below), and the secure world's own measurements. Everything else is an
 * event or a query.
 *
 * OPEN_SESSION   [in]  tzu_open_session_req  [out] tzu_open_session_rsp
 *                Registers a normal-world client; returns its id and the
 *                per-CPU slot layout. Kernel clients have reserved entries;
 *                user clients have a quota (TZU_E_LIMIT when used up).
 * CLOSE_SESSION  [in]  tzu_session_req       [out] tzu_hdr
 * DECIDE         fast call: [in] tzu_event in the CPU's slot
 *                [out] tzu_decision in the slot + registers (see SMC below)
 * LOAD_POLICY    [in]  tzu_load_policy_req + blob bytes  [out] tzu_load_policy_rsp
 *                [signed blob] Ed25519 (policy key), device binding, version
 *                above the persistent rollback floor (the same version is
 *                accepted only for the identical blob), atomic swap.
 * SET_MODE       [in]  tzu_set_mode_req      [out] tzu_hdr         [admin]
 * GET_STATS      [in]  tzu_hdr or tzu_session_req  [out] tzu_stats  (query)
 * READ_AUDIT     [in]  tzu_read_audit_req    [out] tzu_read_audit_rsp + records
 *                (query; TZU_AUDIT_READ_ACK marks records as drained)
 * UPDATE_ATTR    [in]  tzu_update_attr_req   [out] tzu_update_attr_rsp [admin]
 *                only attributes the policy declares "writer": "admin"
 * INTEGRITY_CHECK[in]  tzu_session_req       [out] tzu_integrity_status +
 *                regions (query): runs one full measurement pass now
 * END_USAGE      [in]  tzu_end_usage_req     [out] tzu_hdr         [admin]
 * GET_CHALLENGE  [in]  tzu_session_req       [out] tzu_challenge_rsp (query)
 *                this boot's nonce and the next admin counter
 * GET_REPORT     [in]  tzu_report_req        [out] tzu_report      (query)
 *                signed by the device key over the caller's nonce
 * AUDIT_CONFIG   [in]  tzu_audit_config_req  [out] tzu_hdr         [admin]
 * INTEGRITY_REGISTER [in] tzu_session_req    [out] tzu_integrity_status
 *                (event, kernel client session required) the kernel's first
 *                registration: the secure world checks the regions of the
 *                signed kernel manifest against memory and takes its
 *                baseline; accepted once per boot, a second is TZU_E_BUSY.
 * INTEGRITY_MODULE [in] tzu_integrity_module_req [out] tzu_integrity_module_rsp
 *                (event, kernel client session) a loaded module's text and
 *                read-only data (ADD, once per range) or its unload (DEL).
 * HEARTBEAT      [in]  tzu_heartbeat_req     [out] tzu_heartbeat_rsp
 *                (event, kernel client session) the kernel is alive and
 *                still asking; carries its counters; the reply carries
 *                revocations the secure world made on its own (timer).
 * INTEGRITY_STATUS [in] tzu_session_req      [out] tzu_integrity_status +
 *                regions (query)
 *
 * Every request may name client session 0 ("no session"): authority comes
 * from signatures, never from a session, so a full session table cannot
 * lock the owner out. A non-zero session must be open.
 */

/* Status codes (hdr.status and SMC r0). 0 = ok. */
#define TZU_OK				0u
#define TZU_E_BAD_MAGIC			1u
#define TZU_E_BAD_VERSION		2u
#define TZU_E_BAD_SIZE			3u
#define TZU_E_BAD_COMMAND		4u
#define TZU_E_BAD_OFFSET		5u  /* outside the shared window */
#define TZU_E_BAD_FIELD			6u  /* a field out of its range */
#define TZU_E_AUTH			7u  /* signature invalid (blob or auth) */
#define TZU_E_ROLLBACK			8u  /* policy not newer than the floor */
#define TZU_E_MALFORMED			9u  /* blob structure invalid */
#define TZU_E_NO_POLICY			10u
#define TZU_E_LIMIT			11u /* an explicit engine limit */
#define TZU_E_NOT_FOUND			12u
#define TZU_E_BAD_SESSION		13u
#define TZU_E_BUSY			14u
#define TZU_E_INTERNAL			15u
#define TZU_E_AUTH_REQUIRED		16u /* [admin] command without tzu_auth */
#define TZU_E_REPLAY			17u /* stale nonce or used counter */
#define TZU_E_WRONG_DEVICE		18u /* blob or auth for another device */
#define TZU_E_NOT_WRITABLE		19u /* attribute's writer is not admin */
#define TZU_E_STORAGE			20u /* persistent state unusable: fail closed */
#define TZU_E_NOT_SUPPORTED		0xffffffffu /* SMCCC NOT_SUPPORTED */

#define TZU_DEVICE_ID_LEN		16u
#define TZU_NONCE_LEN			32u
#define TZU_ED25519_KEY_LEN		32u
#define TZU_ED25519_SIG_LEN		64u

/*
 * Administrative authorization (TPM-style): an Ed25519 signature by the
 * admin key over (command, argument digest, device id, this boot's nonce,
 * counter). args_sha256 = SHA-256 of the request bytes between the
 * `session` field and this struct (TZU_AUTH_ARGS_OFFSET .. offset of auth),
 * so every argument is bound. counter must equal the challenge's
 * next_counter; the secure world persists it before the command runs, so a
 * token works once, in one boot, on one device.
 */
#define TZU_AUTH_MAGIC			0x55415a54u /* "TZAU" */
#define TZU_AUTH_VERSION		1u
#define TZU_AUTH_ARGS_OFFSET		20u /* after tzu_hdr + session */

struct tzu_auth {
	tzu_u32 magic;		/* TZU_AUTH_MAGIC */
	tzu_u16 version;	/* TZU_AUTH_VERSION */
	tzu_u16 command;	/* TZU_CMD_* authorized */
	tzu_u8 device_id[TZU_DEVICE_ID_LEN];
	tzu_u8 nonce[TZU_NONCE_LEN];	/* GET_CHALLENGE nonce of this boot */
	tzu_u64 counter;	/* GET_CHALLENGE next_counter */
	tzu_u8 args_sha256[TZU_SHA256_LEN];
	tzu_u8 signature[TZU_ED25519_SIG_LEN]; /* over bytes before this field */
};

struct tzu_open_session_req {
	struct tzu_hdr hdr;
	tzu_u32 client_kind;	/* TZU_CLIENT_* */
	tzu_u32 pad0;
};
#define TZU_CLIENT_KERNEL		1u
#define TZU_CLIENT_USER			2u

struct tzu_open_session_rsp {
	struct tzu_hdr hdr;
	tzu_u32 session;	/* client session id */
	tzu_u32 abi_version;
	tzu_u32 slot_size;	/* bytes per CPU slot */
	tzu_u32 nr_slots;	/* CPU slots at the start of the window */
	tzu_u32 interest_mask;
	tzu_u32 epoch;
};

struct tzu_session_req {
	struct tzu_hdr hdr;
	tzu_u32 session;	/* client session (0 = none) */
	tzu_u32 pad0;
};

struct tzu_load_policy_req {
	struct tzu_hdr hdr;	/* size = sizeof(*this) + blob_size */
	tzu_u32 session;
	tzu_u32 blob_size;	/* blob bytes follow this struct */
};

struct tzu_load_policy_rsp {
	struct tzu_hdr hdr;
	tzu_u32 epoch;		/* new epoch */
	tzu_u32 policy_version;
	tzu_u32 interest_mask;
	tzu_u32 n_rules;
	tzu_u32 n_revoked;	/* sessions revoked by the swap */
	tzu_u32 pad0;
	tzu_u8 policy_sha256[TZU_SHA256_LEN]; /* digest of the whole blob */
};

#define TZU_MODE_ENFORCE		0u
#define TZU_MODE_PERMISSIVE		1u

struct tzu_set_mode_req {
	struct tzu_hdr hdr;
	tzu_u32 session;
	tzu_u32 mode;		/* TZU_MODE_* */
	struct tzu_auth auth;	/* command = TZU_CMD_SET_MODE */
};

/* Persistent-state condition (tzu_stats/tzu_report.storage_state) */
#define TZU_STORAGE_OK			1u /* record read and MAC verified */
#define TZU_STORAGE_FRESH		2u /* blank storage, initialised this boot */
#define TZU_STORAGE_TAMPERED		3u /* MAC/format wrong: fail closed */
#define TZU_STORAGE_UNAVAILABLE		4u /* no device / write failed: fail closed */

/* tzu_stats/tzu_report.flags */
#define TZU_SF_BOOT_POLICY		0x1u /* the image's boot policy is in force */
#define TZU_SF_CMDLINE_WEAK		0x2u /* kernel command line weakens tz_hooks */
#define TZU_SF_AUDIT_FAIL_CLOSED	0x4u /* ring full denies auditable events */

struct tzu_stats {
	struct tzu_hdr hdr;
	tzu_u64 decisions;
	tzu_u64 allowed;
	tzu_u64 denied;
	tzu_u64 permissive_denials; /* would-deny allowed by mode */
	tzu_u64 filtered;	/* hooks outside the interest mask */
	tzu_u64 errors;		/* requests rejected with an error code */
	tzu_u64 revocations;
	tzu_u64 audit_records;	/* appended since boot */
	tzu_u64 audit_dropped;	/* overwritten before being read */
	tzu_u64 policy_loads;
	tzu_u64 policy_rejects;
	tzu_u64 auth_failures;	/* refused authorizations */
	tzu_u64 audit_full_denials; /* denied because the ring was full */
	tzu_u64 boot_counter;	/* persistent, +1 every boot */
	tzu_u64 admin_counter;	/* next admin counter */
	tzu_u32 epoch;
	tzu_u32 policy_version;
	tzu_u32 mode;
	tzu_u32 live_sessions;
	tzu_u32 interest_mask;
	tzu_u32 integrity_state; /* TZU_INTEGRITY_* */
	tzu_u32 storage_state;	/* TZU_STORAGE_* */
	tzu_u32 flags;		/* TZU_SF_* */
	tzu_u32 rollback_floor;	/* highest policy version accepted */
	tzu_u32 client_sessions; /* open client sessions */
	tzu_u64 per_hook[TZU_HOOK_COUNT]; /* decisions per hook */
};

/*
 * Audit record. Records form a SHA-256 hash chain:
 *   hash = SHA256(prev_hash || record bytes up to (excluding) hash)
 * and the chain's head is signed by the device key in every tzu_report,
 * so a drained log verifies off the device against a report: only the
 * secure world can produce a signed head. Each boot starts a new chain
 * (prev_hash of record 0 = 32 zero bytes) with a TZU_AUDIT_BOOT record.
 *
 * hook < TZU_HOOK_COUNT: a decision (fields as named).
 * hook >= TZU_AUDIT_KIND_BASE: a secure-world event; then
 *   verdict = TZU_OK or the TZU_E_* status of the command,
 *   rule_id = the TZU_CMD_* concerned (0 for none),
 *   event_seq = the kind's argument (below), event_digest = its digest,
 *   session_id = client session, flags = TZU_SF_* at that time.
 */
#define TZU_AUDIT_KIND_BASE		0x100u
#define TZU_AUDIT_BOOT			0x100u /* seq boot counter, digest cmdline */
#define TZU_AUDIT_POLICY_LOAD		0x101u /* seq version, digest blob */
#define TZU_AUDIT_MODE			0x102u /* seq new mode */
#define TZU_AUDIT_ATTR_WRITE		0x103u /* seq new value, digest args */
#define TZU_AUDIT_USAGE_END		0x104u /* seq usage session id */
#define TZU_AUDIT_AUTH_REFUSED		0x105u /* seq auth counter, digest args */
#define TZU_AUDIT_STORAGE		0x106u /* seq TZU_STORAGE_* */
#define TZU_AUDIT_CONFIG		0x107u /* seq new overflow mode */
#define TZU_AUDIT_INTEGRITY		0x108u /* seq new TZU_INTEGRITY_* */
#define TZU_AUDIT_RESET			0x109u /* seq audit counters before reset */
#define TZU_AUDIT_MANIFEST		0x10au /* seq manifest size, digest manifest */
#define TZU_AUDIT_KREGISTER		0x10bu /* seq kind<<32|va, digest baseline */
#define TZU_AUDIT_MISMATCH		0x10cu /* seq kind<<56|region<<32|offset,
					* digest the differing page as found */
#define TZU_AUDIT_BASELINE		0x10du /* follows MISMATCH, same seq, digest
					* that page in the baseline */
#define TZU_AUDIT_HEARTBEAT		0x10eu /* seq TZU_IS_* that degraded */
#define TZU_AUDIT_KMODULE		0x10fu /* seq op<<32|va, digest baseline */
#define TZU_AUDIT_SYSTEM_RESET		0x110u /* PSCI SYSTEM_RESET: seq decisions
					* served, digest the audit head before */
#define TZU_AUDIT_SYSTEM_OFF		0x111u /* PSCI SYSTEM_OFF: as SYSTEM_RESET */

struct tzu_audit_record {
	tzu_u64 index;		/* position in the chain, from 0 */
	tzu_u64 event_seq;
	tzu_u8 event_digest[TZU_SHA256_LEN]; /* SHA256 of the tzu_event */
	tzu_u32 rule_id;
	tzu_u32 verdict;
	tzu_u32 flags;		/* TZU_DF_* */
	tzu_u32 epoch;
	tzu_u32 hook;		/* TZU_HOOK_* or TZU_AUDIT_* */
	tzu_u32 tgid;
	tzu_u32 obligations;
	tzu_u32 session_id;
	tzu_u8 hash[TZU_SHA256_LEN];
};

#define TZU_AUDIT_READ_ACK		0x1u /* records returned count as drained */

struct tzu_read_audit_req {
	struct tzu_hdr hdr;
	tzu_u32 session;
	tzu_u32 max_records;
	tzu_u64 from_index;	/* first record wanted */
	tzu_u32 flags;		/* TZU_AUDIT_READ_* */
	tzu_u32 pad0;
};

struct tzu_read_audit_rsp {
	struct tzu_hdr hdr;	/* size includes the records that follow */
	tzu_u64 first_index;	/* index of records[0] (>= from_index) */
	tzu_u64 next_index;	/* index the next append will get */
	tzu_u64 dropped;	/* records overwritten in the ring so far */
	tzu_u32 n_records;
	tzu_u32 pad0;
	tzu_u8 anchor[TZU_SHA256_LEN]; /* hash preceding records[0] */
	/* struct tzu_audit_record records[n_records]; */
};

#define TZU_ATTR_SCOPE_GLOBAL		0u
#define TZU_ATTR_SCOPE_SUBJECT		1u
#define TZU_ATTR_SCOPE_OBJECT		2u

#define TZU_ATTR_OP_SET			1u
#define TZU_ATTR_OP_ADD			2u
#define TZU_ATTR_OP_INSERT		3u
#define TZU_ATTR_OP_CLEAR		4u

struct tzu_update_attr_req {
	struct tzu_hdr hdr;
	tzu_u32 session;
	tzu_u32 op;		/* TZU_ATTR_OP_* */
	tzu_u64 key;		/* subject/object key; 0 for globals */
	tzu_u64 value;
	char name[TZU_NAME_LEN]; /* attribute name as in the policy */
	struct tzu_auth auth;	/* command = TZU_CMD_UPDATE_ATTR */
};

struct tzu_update_attr_rsp {
	struct tzu_hdr hdr;
	tzu_u64 value;		/* value after the update (ints) */
	tzu_u32 n_revoked;
	tzu_u32 tgid;		/* process the write gave state (a per-process
				 * attribute: report its exit), 0 none */
	tzu_u32 revoked[TZU_MAX_REVOKE];
	tzu_u32 revoked_tgid[TZU_MAX_REVOKE];
};

struct tzu_end_usage_req {
	struct tzu_hdr hdr;
	tzu_u32 session;
	tzu_u32 usage;		/* usage session id */
	struct tzu_auth auth;	/* command = TZU_CMD_END_USAGE */
};

#define TZU_INTEGRITY_UNKNOWN		0u /* nothing measured (yet) */
#define TZU_INTEGRITY_OK		1u /* baseline matched the manifest */
#define TZU_INTEGRITY_VIOLATED		2u /* measured memory differed */
#define TZU_INTEGRITY_DEGRADED		3u /* the kernel stopped reporting as
					    * it must (heartbeat lost, counters
					    * disagree, no registration/seal) */

/*
 * Kernel integrity (docs/integrity.md). The expected contents come from a
 * kernel manifest made at the kernel build and signed with the policy key;
 * the secure world reads it before Linux starts (PLAT_NS_MANIFEST_ADDR),
 * checks memory against it at the kernel's first registration, keeps a
 * secure copy as baseline and re-compares it on its own timer. Both
 * VIOLATED and DEGRADED are sticky until reboot.
 */
/* Region kinds (manifest regions, status regions, audit records). */
#define TZU_IREG_TEXT			1u
#define TZU_IREG_SYSCALL_TABLE		2u
#define TZU_IREG_RODATA			3u
#define TZU_IREG_RO_AFTER_INIT		4u /* holds the LSM hook lists */
#define TZU_IREG_EX_TABLE		5u
#define TZU_IREG_VECTORS		6u
#define TZU_IREG_STUBS			7u
#define TZU_IREG_MODULE			8u

/* Kernel manifest: header, regions[n_regions], fixups[n_fixups], then an
 * Ed25519 signature (policy key) over every byte before it. */
#define TZU_KMANIFEST_MAGIC		0x4d4b5a54u /* "TZKM" */
#define TZU_KMANIFEST_VERSION		1u
#define TZU_KMANIFEST_MAX		(64u << 10)
#define TZU_KMANIFEST_MAX_REGIONS	16u

struct tzu_kmanifest_hdr {
	tzu_u32 magic;		/* TZU_KMANIFEST_MAGIC */
	tzu_u16 version;	/* TZU_KMANIFEST_VERSION */
	tzu_u16 n_regions;	/* <= TZU_KMANIFEST_MAX_REGIONS */
	tzu_u32 size;		/* whole manifest, signature included */
	tzu_u32 n_fixups;
	tzu_u32 page_offset;	/* kernel VA of phys_base (CONFIG_PAGE_OFFSET) */
	tzu_u32 phys_base;	/* physical address the kernel runs at */
	tzu_u32 swapper_pg_dir;	/* VA of init_mm's first-level table */
	tzu_u32 flags;		/* 0 */
	tzu_u8 vmlinux_sha256[TZU_SHA256_LEN];
	char release[TZU_NAME_LEN]; /* kernel release string */
};

/* tzu_kmanifest_region.flags */
#define TZU_KMR_DIGEST			0x1u /* sha256 = expected content */
#define TZU_KMR_AT_SEAL			0x2u /* content final only at seal
					      * (first TZU_HB_RUNNING heartbeat):
					      * baseline copied then */
struct tzu_kmanifest_region {
	tzu_u32 kind;		/* TZU_IREG_* */
	tzu_u32 flags;		/* TZU_KMR_* */
	tzu_u32 va;		/* kernel virtual address, 4-byte aligned */
	tzu_u32 len;		/* bytes, multiple of 4 */
	tzu_u8 sha256[TZU_SHA256_LEN]; /* with every fixup word masked */
};

/* A word the kernel rewrites at boot (ARM_PATCH_PHYS_VIRT stubs): bits set
 * in mask may differ from the build and are cleared in the digest. Sorted
 * by va, ascending. */
struct tzu_kmanifest_fixup {
	tzu_u32 va;
	tzu_u32 mask;
};

/* tzu_integrity_status.flags */
#define TZU_IS_MANIFEST			0x01u /* a valid manifest was read at boot */
#define TZU_IS_REGISTERED		0x02u /* the kernel registered */
#define TZU_IS_SEALED			0x04u /* ro_after_init baseline taken */
#define TZU_IS_TIMER			0x08u /* re-measured on the secure timer */
#define TZU_IS_SMC_FALLBACK		0x10u /* re-measured on SMC entries */
#define TZU_IS_HEARTBEAT_LOST		0x20u
#define TZU_IS_COUNTERS_DISAGREE	0x40u
#define TZU_IS_DEADLINE_MISSED		0x80u /* no registration or seal in time */
#define TZU_IS_MANIFEST_BAD		0x100u /* present but refused (signature,
					       * format): state VIOLATED */
#define TZU_IS_TIMER_TAMPERED		0x200u /* the secure timer was found
					       * reprogrammed or silent */
#define TZU_IS_UNMEASURED		0x800u /* a module the kernel registered
					       * could not be measured (no
					       * room): degraded */
#define TZU_IS_NO_MANIFEST		0x400u /* a kernel registered, or the
					       * registration deadline passed,
					       * with no manifest read at boot:
					       * nothing vouches for the kernel */

/* tzu_integrity_region.flags */
#define TZU_IRF_BASELINED		0x1u /* secure copy taken */
#define TZU_IRF_EXPECTED		0x2u /* matched the manifest digest */
#define TZU_IRF_DIRTY			0x4u /* differs from the baseline now */

struct tzu_integrity_region {
	tzu_u32 kind;		/* TZU_IREG_* */
	tzu_u32 flags;		/* TZU_IRF_* */
	tzu_u32 va;
	tzu_u32 len;
	tzu_u32 mismatches;	/* times it was found differing (new dirt) */
	tzu_u32 first_offset;	/* first differing byte while DIRTY, else ~0 */
	char name[TZU_TYPE_LEN]; /* "text", module name, ... */
};

struct tzu_integrity_status {
	struct tzu_hdr hdr;	/* size includes regions[] */
	tzu_u32 state;		/* TZU_INTEGRITY_* */
	tzu_u32 flags;		/* TZU_IS_* */
	tzu_u32 period_us;	/* secure timer tick */
	tzu_u32 heartbeat_ms;	/* heartbeat period the secure world expects */
	tzu_u32 heartbeat_timeout_ms;
	tzu_u32 chunk_bytes;	/* compared per tick */
	tzu_u64 now_us;		/* secure clock, from secure boot */
	tzu_u64 ticks;		/* measurement ticks run */
	tzu_u64 passes;		/* full passes completed */
	tzu_u64 mismatches;	/* detections (new dirt in any region) */
	tzu_u64 bytes_total;	/* bytes in one full pass */
	tzu_u64 bytes_compared;	/* since boot */
	tzu_u64 last_pass_us;	/* when the last full pass ended, 0 none */
	tzu_u64 pass_us;	/* duration of the last full pass */
	tzu_u64 heartbeats;
	tzu_u64 last_heartbeat_us; /* 0 none */
	tzu_u64 first_violation_us; /* 0 none */
	tzu_u64 kernel_decisions; /* last heartbeat's decisions_sent */
	tzu_u64 secure_decisions; /* DECIDE calls the secure world served */
	tzu_u64 kernel_cached_allowed; /* last heartbeat's cached_allowed */
	tzu_u64 kernel_cached_denied;  /* last heartbeat's cached_denied */
	tzu_u8 manifest_sha256[TZU_SHA256_LEN];
	tzu_u32 n_regions;	/* entries that follow */
	tzu_u32 pad0;
	/* struct tzu_integrity_region regions[n_regions]; */
};

#define TZU_KMOD_ADD			1u
#define TZU_KMOD_DEL			2u

struct tzu_integrity_module_req {
	struct tzu_hdr hdr;
	tzu_u32 session;
	tzu_u32 op;		/* TZU_KMOD_* */
	tzu_u32 va;		/* module core: text, then read-only data */
	tzu_u32 len;		/* text + read-only data, page multiple */
	char name[TZU_TYPE_LEN];
};

struct tzu_integrity_module_rsp {
	struct tzu_hdr hdr;
	tzu_u32 state;		/* TZU_INTEGRITY_* after the call */
	tzu_u32 pad0;
};

/* tzu_heartbeat_req.flags */
#define TZU_HB_RUNNING			0x1u /* init done: ro_after_init final */

struct tzu_heartbeat_req {
	struct tzu_hdr hdr;
	tzu_u32 session;
	tzu_u32 flags;		/* TZU_HB_* */
	tzu_u64 seq;		/* 1, 2, ... */
	tzu_u64 hook_events;	/* LSM hook invocations */
	tzu_u64 decisions_sent;	/* DECIDE fast calls issued */
	tzu_u64 decisions_local; /* answered in the kernel (mask, cache) */
	tzu_u64 errors;		/* transport/decode errors */
	tzu_u64 cached_allowed;	/* of decisions_local: allowed from the
				 * kernel's decision cache */
	tzu_u64 cached_denied;	/* ... denied from it */
};

struct tzu_heartbeat_rsp {
	struct tzu_hdr hdr;
	tzu_u32 state;		/* TZU_INTEGRITY_* */
	tzu_u32 heartbeat_ms;	/* period the secure world expects */
	tzu_u32 n_revoked;	/* entries used in revoked[] */
	tzu_u32 revoke_reason;	/* TZU_REVOKE_* */
	tzu_u32 revoked[TZU_MAX_REVOKE];
	tzu_u32 revoked_tgid[TZU_MAX_REVOKE];
	tzu_u32 pending;	/* revocations still queued: call again */
	tzu_u32 pad0;
};

struct tzu_challenge_rsp {
	struct tzu_hdr hdr;
	tzu_u8 device_id[TZU_DEVICE_ID_LEN];
	tzu_u8 nonce[TZU_NONCE_LEN];	/* fresh every boot */
	tzu_u64 boot_counter;
	tzu_u64 next_counter;	/* the counter the next tzu_auth must carry */
};

struct tzu_report_req {
	struct tzu_hdr hdr;
	tzu_u32 session;
	tzu_u32 pad0;
	tzu_u8 nonce[TZU_NONCE_LEN];	/* verifier's freshness value */
};

/*
 * Signed statement of what the secure world enforces. signature =
 * Ed25519(device key, bytes [sizeof(tzu_hdr), offsetof(signature))); the
 * device public key (and device_id = first 16 bytes of its SHA-256) come
 * from the image build.
 */
#define TZU_REPORT_MAGIC		0x50525a54u /* "TZRP" */
#define TZU_REPORT_VERSION		2u

struct tzu_report {
	struct tzu_hdr hdr;
	tzu_u32 magic;		/* TZU_REPORT_MAGIC */
	tzu_u16 version;	/* TZU_REPORT_VERSION */
	tzu_u16 pad0;
	tzu_u8 device_id[TZU_DEVICE_ID_LEN];
	tzu_u8 nonce[TZU_NONCE_LEN];	/* echoes the request */
	tzu_u64 boot_counter;
	tzu_u8 policy_sha256[TZU_SHA256_LEN]; /* active blob (boot policy too) */
	tzu_u32 policy_version;
	tzu_u32 epoch;
	tzu_u32 mode;		/* TZU_MODE_* */
	tzu_u32 integrity_state; /* TZU_INTEGRITY_* */
	tzu_u32 storage_state;	/* TZU_STORAGE_* */
	tzu_u32 flags;		/* TZU_SF_* */
	tzu_u32 rollback_floor;
	tzu_u32 audit_unrecorded; /* events not recorded: ring full, or
				   * refusals past the per-boot record budget */
	tzu_u8 cmdline_sha256[TZU_SHA256_LEN]; /* kernel command line booted */
	tzu_u64 audit_next_index;
	tzu_u8 audit_head[TZU_SHA256_LEN]; /* hash of record audit_next_index-1 */
	tzu_u64 audit_dropped;	/* overwritten before any reader drained them */
	tzu_u64 audit_acked;	/* records below this were drained (acked) by
				 * some reader: a verifier whose log ends
				 * earlier knows another reader took them */
	tzu_u64 decisions;
	tzu_u64 denied;
	tzu_u64 auth_failures;
	tzu_u64 errors;
	tzu_u64 admin_counter;
	/* kernel integrity (tzu_integrity_status); last_* = latest detection */
	tzu_u64 integrity_passes;
	tzu_u64 integrity_mismatches;
	tzu_u32 integrity_flags; /* TZU_IS_* */
	tzu_u32 last_region_kind; /* TZU_IREG_*, 0 none */
	tzu_u32 last_region_va;
	tzu_u32 last_offset;	/* byte offset in that region */
	tzu_u8 last_expected[TZU_SHA256_LEN]; /* baseline page */
	tzu_u8 last_observed[TZU_SHA256_LEN]; /* that page as found */
	tzu_u8 manifest_sha256[TZU_SHA256_LEN];
	tzu_u8 signature[TZU_ED25519_SIG_LEN];
};

#define TZU_AUDIT_OVERFLOW_DROP_OLDEST	0u /* counted in audit_dropped */
#define TZU_AUDIT_OVERFLOW_FAIL_CLOSED	1u /* deny auditable events when full */

#define TZU_AUDIT_OP_SET_OVERFLOW	1u /* value = TZU_AUDIT_OVERFLOW_* */
#define TZU_AUDIT_OP_RESET_COUNTERS	2u /* zero decision statistics */

struct tzu_audit_config_req {
	struct tzu_hdr hdr;
	tzu_u32 session;
	tzu_u32 op;		/* TZU_AUDIT_OP_* */
	tzu_u32 value;
	tzu_u32 pad0;
	struct tzu_auth auth;	/* command = TZU_CMD_AUDIT_CONFIG */
};

/* ------------------------------------------------------------------ */
/* SMC calling convention (Arm SMCCC, SMC32, owning entity Trusted OS)  */
/* ------------------------------------------------------------------ */
#define TZU_SMC_FAST_BASE		0xb2000000u /* fast, SMC32, OEN 50 */
#define TZU_SMC_YIELD_BASE		0x32000000u /* yielding, SMC32, OEN 50 */
#define TZU_SMC_YIELD(cmd)		(TZU_SMC_YIELD_BASE | (cmd))
/*
 * DECIDE fast call:
 *   in:  r0 = TZU_SMC_DECIDE, r1 = slot index (must be the calling CPU)
 *   out: r0 = status, r1 = verdict | flags << 8, r2 = obligations,
 *        r3 = rule_id; full tzu_decision written to the slot.
 * Yielding calls TZU_SMC_YIELD(cmd):
 *   in:  r1 = request offset in the window, r2 = request length,
 *        r3 = response offset, r4 = response capacity
 *   out: r0 = status, r1 = response length
 */
#define TZU_SMC_DECIDE			(TZU_SMC_FAST_BASE | TZU_CMD_DECIDE)
/* Standard Trusted OS queries (SMCCC, OEN 63) */
#define TZU_SMC_CALLS_COUNT		0xbf00ff00u
#define TZU_SMC_CALLS_UID		0xbf00ff01u
#define TZU_SMC_CALLS_REVISION		0xbf00ff03u
/* UID returned in r0..r3 by CALLS_UID */
#define TZU_UID_0			0x7a75636fu
#define TZU_UID_1			0x6e2d747au
#define TZU_UID_2			0x7a633730u
#define TZU_UID_3			0x32000001u
#define TZU_REVISION_MAJOR		1u
#define TZU_REVISION_MINOR		0u

/* ------------------------------------------------------------------ */
/* TEE subsystem client interface (drivers/tee, /dev/tee0)              */
/* ------------------------------------------------------------------ */
/*
 * Clients open a session to the engine with TEE_IOC_OPEN_SESSION (user) or
 * tee_client_open_session() (kernel) using TZU_TEE_UUID, login PUBLIC.
 * TEE_IOC_INVOKE / tee_client_invoke_func(): func = TZU_CMD_*, and
 *   param[0] MEMREF_INPUT   the request message (starts with tzu_hdr)
 *   param[1] MEMREF_OUTPUT  the response buffer (starts with tzu_hdr)
 * The TEE result (ret) is TEEC_SUCCESS when the secure world answered; the
 * command's own status is in the response hdr.status.
 */
#define TZU_TEE_UUID_BYTES \
	0x7a, 0x75, 0x63, 0x6f, 0x6e, 0x2d, 0x4a, 0x74, \
	0x8e, 0x5f, 0x5a, 0x43, 0x37, 0x30, 0x32, 0x01
#define TZU_TEE_IMPL_ID			0x545au /* tee_ioctl_version.impl_id */
#define TZU_DT_COMPATIBLE		"tzucon,tz-monitor"

/* ------------------------------------------------------------------ */
/* Shared-memory window layout                                          */
/* ------------------------------------------------------------------ */
#define TZU_SLOT_SIZE			1024u /* per-CPU event+decision slot */
#define TZU_MAX_CPUS			2u
#define TZU_SLOT_DECISION_OFFSET	512u  /* decision within a slot */
#define TZU_SHM_STATE_OFFSET		2048u /* struct tzu_shared_state */
/*
 * Use-lease words (TZU_DF_LEASE): TZU_LEASE_WORDS u32 per CPU slot at
 * TZU_SLOT_LEASE_OFFSET. A word is (ticket << 12) | uses taken. The secure
 * world writes it when it grants a lease on that CPU and takes it back
 * with one atomic exchange (to 0) when it closes the lease; the kernel
 * counts a use with one compare-and-swap that succeeds only while the
 * ticket is its lease's and fewer than lease_uses were taken, so each use
 * is counted by exactly one side.
 */
#define TZU_SLOT_LEASE_OFFSET		768u
#define TZU_LEASE_WORDS			8u
#define TZU_LEASE_TICKET_SHIFT		12u
#define TZU_LEASE_USES_MASK		0xfffu
#define TZU_LEASE_MAX_USES		4095u  /* lease_uses at most */
#define TZU_SHM_CMD_OFFSET		4096u /* start of command buffers */

/* ------------------------------------------------------------------ */
/* Compile-time layout checks, on every side.                          */
/* ------------------------------------------------------------------ */
#if defined(__KERNEL__)
#include <linux/build_bug.h>
#define TZU_ABI_ASSERT(c, m) static_assert(c, m)
#elif defined(__cplusplus)
#define TZU_ABI_ASSERT(c, m) static_assert(c, m)
#else
#define TZU_ABI_ASSERT(c, m) _Static_assert(c, m)
#endif

TZU_ABI_ASSERT(sizeof(struct tzu_hdr) == 16, "tzu_hdr");
TZU_ABI_ASSERT(sizeof(struct tzu_subject) == 96, "tzu_subject");
TZU_ABI_ASSERT(sizeof(struct tzu_object) == 184, "tzu_object");
TZU_ABI_ASSERT(sizeof(struct tzu_event) == 320, "tzu_event");
TZU_ABI_ASSERT(sizeof(struct tzu_decision) == 144, "tzu_decision");
TZU_ABI_ASSERT(sizeof(struct tzu_shared_state) == 16 + 4 * TZU_STATE_HOOKS,
	       "shared_state");
TZU_ABI_ASSERT(TZU_HOOK_COUNT <= TZU_STATE_HOOKS, "shared_state hooks");
TZU_ABI_ASSERT(TZU_FIELD_COUNT <= 32, "cache_fields is a u32 mask");
TZU_ABI_ASSERT(sizeof(struct tzu_event) <= TZU_SLOT_DECISION_OFFSET, "slot");
TZU_ABI_ASSERT(TZU_SLOT_DECISION_OFFSET + sizeof(struct tzu_decision) <=
	       TZU_SLOT_SIZE, "slot");
TZU_ABI_ASSERT(TZU_SLOT_DECISION_OFFSET + sizeof(struct tzu_decision) <=
	       TZU_SLOT_LEASE_OFFSET, "slot");
TZU_ABI_ASSERT(TZU_SLOT_LEASE_OFFSET + 4 * TZU_LEASE_WORDS <= TZU_SLOT_SIZE,
	       "slot");
TZU_ABI_ASSERT(TZU_LEASE_MAX_USES <= TZU_LEASE_USES_MASK, "lease uses");
TZU_ABI_ASSERT(TZU_MAX_CPUS * TZU_SLOT_SIZE <= TZU_SHM_STATE_OFFSET, "window");
TZU_ABI_ASSERT(TZU_SHM_STATE_OFFSET + sizeof(struct tzu_shared_state) <=
	       TZU_SHM_CMD_OFFSET, "window");
TZU_ABI_ASSERT(sizeof(struct tzu_auth) == 160, "auth");
TZU_ABI_ASSERT(sizeof(struct tzu_open_session_req) == 24, "open_req");
TZU_ABI_ASSERT(sizeof(struct tzu_open_session_rsp) == 40, "open_rsp");
TZU_ABI_ASSERT(sizeof(struct tzu_session_req) == 24, "session_req");
TZU_ABI_ASSERT(sizeof(struct tzu_load_policy_req) == 24, "load_req");
TZU_ABI_ASSERT(sizeof(struct tzu_load_policy_rsp) == 72, "load_rsp");
TZU_ABI_ASSERT(sizeof(struct tzu_set_mode_req) == 184, "mode_req");
TZU_ABI_ASSERT(sizeof(struct tzu_stats) == 312, "stats");
TZU_ABI_ASSERT(sizeof(struct tzu_audit_record) == 112, "audit_record");
TZU_ABI_ASSERT(sizeof(struct tzu_read_audit_req) == 40, "audit_req");
TZU_ABI_ASSERT(sizeof(struct tzu_read_audit_rsp) == 80, "audit_rsp");
TZU_ABI_ASSERT(sizeof(struct tzu_update_attr_req) == 264, "attr_req");
TZU_ABI_ASSERT(sizeof(struct tzu_update_attr_rsp) == 96, "attr_rsp");
TZU_ABI_ASSERT(sizeof(struct tzu_end_usage_req) == 184, "end_usage_req");
TZU_ABI_ASSERT(sizeof(struct tzu_kmanifest_hdr) == 128, "kmanifest_hdr");
TZU_ABI_ASSERT(sizeof(struct tzu_kmanifest_region) == 48, "kmanifest_region");
TZU_ABI_ASSERT(sizeof(struct tzu_kmanifest_fixup) == 8, "kmanifest_fixup");
TZU_ABI_ASSERT(sizeof(struct tzu_integrity_region) == 56, "integrity_region");
TZU_ABI_ASSERT(sizeof(struct tzu_integrity_status) == 200, "integrity_status");
TZU_ABI_ASSERT(sizeof(struct tzu_integrity_module_req) == 64, "kmod_req");
TZU_ABI_ASSERT(sizeof(struct tzu_integrity_module_rsp) == 24, "kmod_rsp");
TZU_ABI_ASSERT(sizeof(struct tzu_heartbeat_req) == 80, "heartbeat_req");
TZU_ABI_ASSERT(sizeof(struct tzu_heartbeat_rsp) == 104, "heartbeat_rsp");
TZU_ABI_ASSERT(sizeof(struct tzu_challenge_rsp) == 80, "challenge_rsp");
TZU_ABI_ASSERT(sizeof(struct tzu_report_req) == 56, "report_req");
TZU_ABI_ASSERT(sizeof(struct tzu_report) == 464, "report");
TZU_ABI_ASSERT(sizeof(struct tzu_audit_config_req) == 192, "audit_config_req");
/* Authorized requests end with their tzu_auth (args run up to it). */
TZU_ABI_ASSERT(sizeof(struct tzu_set_mode_req) - sizeof(struct tzu_auth) == 24, "mode auth");
TZU_ABI_ASSERT(sizeof(struct tzu_update_attr_req) - sizeof(struct tzu_auth) == 104, "attr auth");
TZU_ABI_ASSERT(sizeof(struct tzu_end_usage_req) - sizeof(struct tzu_auth) == 24, "end auth");
TZU_ABI_ASSERT(sizeof(struct tzu_audit_config_req) - sizeof(struct tzu_auth) == 32, "cfg auth");

#endif /* TZUCON_ABI_H */
