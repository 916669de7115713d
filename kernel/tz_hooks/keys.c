// SPDX-License-Identifier: GPL-2.0
/*
 * keys.c - kernel keys: creation (key_alloc), use (key_permission) and
 * destruction (key_free: TZU_HOOK_KEY_FREE, which ends the key's usage
 * sessions in the secure world; they live as long as the key, not as the
 * task that created it).
 *
 * KEY_ALLOC events are delivered late, on purpose. Linux 6.1 calls the
 * key_alloc hook before the key has a serial (key_alloc_serial() runs
 * after it), yet the policy keys attributes and usage sessions by serial.
 * So the hook only records the creator and queues the question as task
 * work: it is asked, with the serial, before the creating system call
 * returns to user space (kernel threads: from a work item). A deny verdict
 * then revokes the new key (key_revoke()): every later use fails with
 * -EKEYREVOKED; the creating call itself has already succeeded.
 * The hook holds a key reference until then. This relies on no LSM after
 * tz_hooks failing key_alloc (the key would be freed without key_free);
 * tz_hooks is the only LSM with key hooks in this kernel.
 *
 * key_permission runs under RCU in keyring searches: it does not sleep.
 * Only real accesses are events (VIEW, READ, WRITE, SEARCH, LINK,
 * SETATTR); the special values (UNLINK, the two overrides, and the
 * deferred check keyctl uses before its real READ check) are not accesses
 * by themselves, as in SELinux, so a policy counting key uses counts each
 * access once.
 *
 * Order in key_permission: the access's shape, the interest mask, then the
 * kernel's cache of revoked key sessions (session.c), then the question.
 * While no policy watches key_permission nothing else runs. A revoked
 * key is therefore denied only while the active policy watches
 * key_permission: the table is a cache of the secure world's revocations,
 * and a signed policy that drops the hook has said key use is none of its
 * business. The entries stay (until key_free), so they deny again should
 * a later policy watch the hook once more.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/key.h>
#include <linux/key-type.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/workqueue.h>

#include "common.h"
#include "subject.h"

struct tzh_key_alloc {
	struct callback_head twork;
	struct work_struct work;
	struct key *key;
	struct tzu_event ev;
};

static void tzh_key_object(struct tzu_object *obj, const struct key *key)
{
	obj->id = key->serial;
	tzh_copy_str(obj->type, sizeof(obj->type), key->type->name);
	tzh_copy_str(obj->name, sizeof(obj->name), key->description);
}

static void tzh_key_alloc_ask(struct tzh_key_alloc *ka)
{
	struct key *key = ka->key;

	tzh_key_object(&ka->ev.object, key);
	if (tzh_decide(&ka->ev)) {
		key_revoke(key);
		pr_info_ratelimited("key %d revoked: key_alloc denied\n",
				    key->serial);
	}
	key_put(key);
	kfree(ka);
}

static void tzh_key_alloc_twork(struct callback_head *twork)
{
	tzh_key_alloc_ask(container_of(twork, struct tzh_key_alloc, twork));
}

static void tzh_key_alloc_work(struct work_struct *work)
{
	tzh_key_alloc_ask(container_of(work, struct tzh_key_alloc, work));
}

static int hook_key_alloc(struct key *key, const struct cred *cred,
			  unsigned long flags)
{
	struct tzh_key_alloc *ka;

	if (tzh_filter(TZU_HOOK_KEY_ALLOC))
		return 0;
	/* Keys of early boot (kernel threads): nobody to ask, not deferred. */
	if (tzh_phase() == TZH_EARLY) {
		tzh_count(TZH_C_EARLY_ALLOWED);
		return 0;
	}
	ka = kzalloc(sizeof(*ka), GFP_KERNEL);
	if (!ka)
		return -ENOMEM;
	tzh_event_init(&ka->ev, TZU_HOOK_KEY_ALLOC, cred);
	ka->ev.object.flags = flags;
	ka->key = key_get(key);
	if (!(current->flags & PF_KTHREAD)) {
		init_task_work(&ka->twork, tzh_key_alloc_twork);
		if (!task_work_add(current, &ka->twork, TWA_RESUME))
			return 0;
	}
	INIT_WORK(&ka->work, tzh_key_alloc_work);
	schedule_work(&ka->work);
	return 0;
}

/* The whole key_permission event: a miss, or a key revoked here. */
static void tzh_key_permission_event(struct tzu_event *ev, struct key *key,
				     const struct cred *cred,
				     enum key_need_perm need_perm)
{
	tzh_event_init(ev, TZU_HOOK_KEY_PERMISSION, cred);
	ev->object.id = key->serial;
	ev->object.flags = need_perm;
	tzh_key_object(&ev->object, key);
}

/* What a key_permission probe fills, and tells tzh_cache_probe() it did. */
#define TZH_KEY_PROBE_FIELDS \
	(TZH_PROBE_FIELDS | BIT(TZU_FIELD_ID) | BIT(TZU_FIELD_OBJ_FLAGS))

static __always_inline void tzh_key_permission_probe(struct tzu_event *ev,
						     struct key *key,
						     const struct cred *cred,
						     enum key_need_perm need)
{
	tzh_event_probe(ev, TZU_HOOK_KEY_PERMISSION, cred);
	ev->object.id = key->serial;
	ev->object.flags = need;
}

/* The once-a-boot check of the probe, tzh_probe_check(). */
enum { TZH_PC_UNCHECKED, TZH_PC_CHECKING, TZH_PC_SAME, TZH_PC_DIFFERS };
static int tzh_probe_check_st = TZH_PC_UNCHECKED;

/**
 * tzh_probe_check_state() - the probe check's state, for securityfs status
 *
 * Return: "unchecked", "checking", "same" (probing on) or "differs"
 * (probing off for the boot).
 */
const char *tzh_probe_check_state(void)
{
	static const char * const name[] = {
		"unchecked", "checking", "same", "differs"
	};

	return name[READ_ONCE(tzh_probe_check_st)];
}

/*
 * Once a boot, in the first key_permission event that reaches the cache:
 * the probe of that event, filled over two patterns of noise, against its
 * whole event, on every field TZH_KEY_PROBE_FIELDS names. A field the mask
 * names that the probe does not fill, or fills otherwise than the whole
 * event, differs; then probing stays off for the boot (every event is
 * filled whole first) and the kernel log says so. Until the check has
 * passed, events are filled whole too.
 */
static noinline void tzh_probe_check(struct key *key, const struct cred *cred,
				     enum key_need_perm need)
{
	struct tzu_event *ev;
	bool same = true;
	int i;

	if (cmpxchg(&tzh_probe_check_st, TZH_PC_UNCHECKED,
		    TZH_PC_CHECKING) != TZH_PC_UNCHECKED)
		return;
	ev = kmalloc_array(3, sizeof(*ev), GFP_ATOMIC);
	if (!ev) {
		WRITE_ONCE(tzh_probe_check_st, TZH_PC_UNCHECKED); /* later */
		return;
	}
	tzh_key_permission_event(&ev[0], key, cred, need);
	for (i = 1; i < 3; i++) {
		memset(&ev[i], i == 1 ? 0xa5 : 0x5a, sizeof(ev[i]));
		tzh_key_permission_probe(&ev[i], key, cred, need);
		if (!tzh_fields_same(&ev[0], &ev[i], TZH_KEY_PROBE_FIELDS))
			same = false;
	}
	kfree(ev);
	if (!same)
		pr_err("cache probe: a field it names is not filled as in the whole event; probing off\n");
	WRITE_ONCE(tzh_probe_check_st, same ? TZH_PC_SAME : TZH_PC_DIFFERS);
}

/*
 * Out of line: its event is not zeroed when the mask filters (mem.c). A
 * key read is three of these events; a probe fills only the subject's
 * ids, credentials and executable (TZH_PROBE_FIELDS) and the key's serial
 * and need, and the event is zeroed and filled whole, the key's type and
 * description with it, only when the cache cannot answer from those.
 */
static noinline int tzh_key_permission_decide(struct key *key,
					      const struct cred *cred,
					      enum key_need_perm need_perm)
{
	struct tzu_event ev __uninitialized;
	u32 verdict;
	int probe;

	if (tzh_key_revoked(key->serial)) {
		tzh_key_permission_event(&ev, key, cred, need_perm);
		return tzh_local_deny(&ev, "revoked");
	}
	if (unlikely(READ_ONCE(tzh_probe_check_st) != TZH_PC_SAME)) {
		tzh_probe_check(key, cred, need_perm);
		if (READ_ONCE(tzh_probe_check_st) != TZH_PC_SAME) {
			tzh_key_permission_event(&ev, key, cred, need_perm);
			return tzh_decide(&ev);
		}
	}
	tzh_key_permission_probe(&ev, key, cred, need_perm);
	probe = tzh_cache_probe(&ev, TZH_KEY_PROBE_FIELDS, &verdict);
	if (probe == TZH_PROBE_HIT)
		return tzh_cached_rc(TZU_HOOK_KEY_PERMISSION, verdict);
	tzh_key_permission_event(&ev, key, cred, need_perm);
	/* a counted miss goes straight to the secure world; an unfilled
	 * probe was not counted, so the whole event is looked up again
	 */
	return probe == TZH_PROBE_MISS ? tzh_decide_secure(&ev) :
					 tzh_decide(&ev);
}

static int hook_key_permission(key_ref_t key_ref, const struct cred *cred,
			       enum key_need_perm need_perm)
{
	struct key *key = key_ref_to_ptr(key_ref);

	switch (need_perm) {
	case KEY_NEED_VIEW:
	case KEY_NEED_READ:
	case KEY_NEED_WRITE:
	case KEY_NEED_SEARCH:
	case KEY_NEED_LINK:
	case KEY_NEED_SETATTR:
		break;
	default:
		return 0;
	}
	if (tzh_filter(TZU_HOOK_KEY_PERMISSION))
		return 0;
	return tzh_key_permission_decide(key, cred, need_perm);
}

/*
 * A destroyed key ends its usage sessions: the kernel's entries here, the
 * secure world's on the KEY_FREE event. key_free runs in the key garbage
 * collector's worker, so the event has no subject.
 */
static noinline void tzh_key_free_decide(key_serial_t serial)
{
	struct tzu_event ev;

	tzh_event_none(&ev, TZU_HOOK_KEY_FREE);
	ev.object.id = serial;
	tzh_decide(&ev);
}

static void hook_key_free(struct key *key)
{
	tzh_sessions_end_key(key->serial);
	if (tzh_filter(TZU_HOOK_KEY_FREE))
		return;
	tzh_key_free_decide(key->serial);
}

static struct security_hook_list tzh_key_hooks[] __lsm_ro_after_init = {
	LSM_HOOK_INIT(key_alloc, hook_key_alloc),
	LSM_HOOK_INIT(key_permission, hook_key_permission),
	LSM_HOOK_INIT(key_free, hook_key_free),
};

/**
 * tzh_add_key_hooks() - register the key hooks
 */
void __init tzh_add_key_hooks(void)
{
	security_add_hooks(tzh_key_hooks, ARRAY_SIZE(tzh_key_hooks), TZH_NAME);
}
