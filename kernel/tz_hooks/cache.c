// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - the decision cache, like SELinux's AVC: a decision the secure
 * world marked TZU_DF_CACHEABLE is answered again here, without a world
 * switch, for a later event of the same hook that is equal on every field
 * the hook's verdicts depend on, as long as the secure world's cache epoch
 * for that hook is still the one the decision was made in.
 *
 * What the secure world marks cacheable (secure/ucon_engine/engine.h, step
 * 9): no obligation (no audit, kill, revoke, notify, remeasure), no session
 * opened or revoked, no attribute update, no engine limit, no permissive
 * would-deny. So a repeat changes nothing there and owes nothing here.
 * decision.cache_fields names, per hook, the event fields any rule of the
 * hook reads (directly, or as the key of an attribute it reads); the
 * entry's key is the hook plus the exact bytes of those fields, compared
 * in full (a hash only picks the set). A hook's cache epoch moves on with
 * every policy load and mode change and with every write to an attribute
 * a rule of that hook reads (a counted key use leaves mprotect's entries
 * alone); the secure world publishes one per hook in the shared window
 * (struct tzu_shared_state) before it returns to the normal world, so one
 * load tells whether an entry is still valid: an entry of another epoch
 * never answers.
 *
 * Use-leases (TZU_DF_LEASE): a counted use the secure world has charged
 * in advance. The entry answers at most lease_uses events, each counted in
 * this CPU's lease word with one compare-and-swap that succeeds only while
 * the word holds the entry's ticket and fewer uses than granted; a word the
 * secure world took back (closed: 0) or used up ends the entry, and the
 * next event goes to the secure world. So each use is counted once: here,
 * in the word the secure world reads when it closes the lease, or there.
 *
 * Per CPU, fixed size, interrupts off while an entry is read or written:
 * no lock, no allocation, usable from every hook context. Cached answers
 * are counted (cache_allowed, cache_denied) and travel with the heartbeat.
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "common.h"

#define TZH_CACHE_SETS	16	/* power of two */
#define TZH_CACHE_WAYS	4
#define TZH_KEY_WORDS	24	/* words of field values; longer: not cached */
#define TZH_PLAN_RUNS	8	/* runs of event words a key may have; more: not cached */
#define TZH_EVENT_WORDS	(sizeof(struct tzu_event) / 4)

/**
 * struct tzh_cache_entry - one cached decision
 * @epoch:	cache epoch it was made in, 0: empty
 * @fields:	TZU_FIELD_* bits its key holds
 * @hash:	tzh_key_hash() of the key (picks the set, checked before it)
 * @hook:	TZU_HOOK_*
 * @verdict:	TZU_VERDICT_*
 * @lease_slot:	TZU_DF_LEASE: this CPU's lease word
 * @lease_uses:	TZU_DF_LEASE: uses granted; 0: a plain cached decision
 * @lease_ticket: TZU_DF_LEASE: the word's ticket while the lease lives
 * @key:	the values of @fields, word by word in event order (struct
 *		tzh_plan; as many words as they have: @fields fixes them)
 */
struct tzh_cache_entry {
	u32 epoch;
	u32 fields;
	u32 hash;
	u16 hook;
	u8 verdict;
	u8 lease_slot;
	u8 lease_uses;
	u32 lease_ticket;
	u32 key[TZH_KEY_WORDS];
};

/**
 * struct tzh_plan - where a field set's key words are in an event
 * @n:		runs used
 * @run:	maximal runs of consecutive event words, in event order:
 *		@run[i].word the first (index of a u32 in the event),
 *		@run[i].words how many
 *
 * The key is these words, run after run. Made once per fill from the
 * field set (tzh_plan_make()); a lookup then copies nothing and walks a
 * few runs (the subject's exe_dev, exe_gen, exe_ino and start_time are
 * one) instead of one field at a time.
 */
struct tzh_plan {
	u8 n;
	struct {
		u8 word;
		u8 words;
	} run[TZH_PLAN_RUNS];
};

/**
 * struct tzh_cache - one CPU's cache
 * @e:		entries, by set
 * @next:	per set, the way the next fill replaces (round robin)
 * @hook_fields: per hook, cache_fields of its last cacheable decision ...
 * @hook_epoch:	... and that decision's epoch (fields hold for it only)
 * @hook_plan:	... and the key layout of those fields
 */
struct tzh_cache {
	struct tzh_cache_entry e[TZH_CACHE_SETS][TZH_CACHE_WAYS];
	u8 next[TZH_CACHE_SETS];
	u32 hook_fields[TZU_HOOK_COUNT];
	u32 hook_epoch[TZU_HOOK_COUNT];
	struct tzh_plan hook_plan[TZU_HOOK_COUNT];
};

static DEFINE_PER_CPU(struct tzh_cache, tzh_cache);

/* A field of the event: byte offset and size (both multiples of 4). */
struct tzh_field {
	u16 off;
	u16 size;
};

#define TZH_OFF(m)	offsetof(struct tzu_event, m)
#define TZH_SIZE(m)	sizeof_field(struct tzu_event, m)

/* Where each TZU_FIELD_* lives in an event (fields.cc in the engine). */
static const struct tzh_field tzh_fields[TZU_FIELD_COUNT] = {
	[TZU_FIELD_HOOK] = { TZH_OFF(hook), TZH_SIZE(hook) },
	[TZU_FIELD_SEQ] = { TZH_OFF(seq), TZH_SIZE(seq) },
	[TZU_FIELD_FLAGS] = { TZH_OFF(flags), TZH_SIZE(flags) },
	[TZU_FIELD_CPU] = { TZH_OFF(cpu), TZH_SIZE(cpu) },
	[TZU_FIELD_PID] = { TZH_OFF(subject.pid), TZH_SIZE(subject.pid) },
	[TZU_FIELD_TGID] = { TZH_OFF(subject.tgid), TZH_SIZE(subject.tgid) },
	[TZU_FIELD_UID] = { TZH_OFF(subject.uid), TZH_SIZE(subject.uid) },
	[TZU_FIELD_EUID] = { TZH_OFF(subject.euid), TZH_SIZE(subject.euid) },
	[TZU_FIELD_GID] = { TZH_OFF(subject.gid), TZH_SIZE(subject.gid) },
	[TZU_FIELD_EGID] = { TZH_OFF(subject.egid), TZH_SIZE(subject.egid) },
	[TZU_FIELD_EXE_DEV] = { TZH_OFF(subject.exe_dev), TZH_SIZE(subject.exe_dev) },
	[TZU_FIELD_EXE_INO] = { TZH_OFF(subject.exe_ino), TZH_SIZE(subject.exe_ino) },
	[TZU_FIELD_EXE_SHA256] = { TZH_OFF(subject.exe_sha256), TZH_SIZE(subject.exe_sha256) },
	[TZU_FIELD_COMM] = { TZH_OFF(subject.comm), TZH_SIZE(subject.comm) },
	[TZU_FIELD_ADDR] = { TZH_OFF(object.addr), TZH_SIZE(object.addr) },
	[TZU_FIELD_LEN] = { TZH_OFF(object.len), TZH_SIZE(object.len) },
	[TZU_FIELD_PROT] = { TZH_OFF(object.prot), TZH_SIZE(object.prot) },
	[TZU_FIELD_OLD_PROT] = { TZH_OFF(object.old_prot), TZH_SIZE(object.old_prot) },
	[TZU_FIELD_OBJ_FLAGS] = { TZH_OFF(object.flags), TZH_SIZE(object.flags) },
	[TZU_FIELD_KIND] = { TZH_OFF(object.kind), TZH_SIZE(object.kind) },
	[TZU_FIELD_ID] = { TZH_OFF(object.id), TZH_SIZE(object.id) },
	[TZU_FIELD_DEV] = { TZH_OFF(object.dev), TZH_SIZE(object.dev) },
	[TZU_FIELD_INO] = { TZH_OFF(object.ino), TZH_SIZE(object.ino) },
	[TZU_FIELD_MODE] = { TZH_OFF(object.mode), TZH_SIZE(object.mode) },
	[TZU_FIELD_SHA256] = { TZH_OFF(object.sha256), TZH_SIZE(object.sha256) },
	[TZU_FIELD_TYPE] = { TZH_OFF(object.type), TZH_SIZE(object.type) },
	[TZU_FIELD_NAME] = { TZH_OFF(object.name), TZH_SIZE(object.name) },
	[TZU_FIELD_EXE_GEN] = { TZH_OFF(subject.exe_gen), TZH_SIZE(subject.exe_gen) },
	[TZU_FIELD_START_TIME] = { TZH_OFF(subject.start_time), TZH_SIZE(subject.start_time) },
};

/*
 * Fields the kernel fills only when it sends the event (tz_driver): never
 * part of a key (the secure world does not mark such hooks cacheable).
 */
#define TZH_SEND_FIELDS (BIT(TZU_FIELD_SEQ) | BIT(TZU_FIELD_CPU))

/*
 * The key layout of @fields into @plan: the hook's own field is the
 * entry's (not in the key); no field filled only at send; every field
 * known and made of whole aligned 32-bit words (every field of the ABI
 * is); at most TZH_KEY_WORDS words in at most TZH_PLAN_RUNS runs.
 * Checked once, when an entry is filled: a lookup uses only a plan a fill
 * made. Return: false if @fields cannot make a key.
 */
static bool tzh_plan_make(u32 fields, struct tzh_plan *plan)
{
	unsigned long bits = fields & ~BIT(TZU_FIELD_HOOK);
	DECLARE_BITMAP(words, TZH_EVENT_WORDS);
	unsigned int f, start, end, total = 0;

	BUILD_BUG_ON(TZH_EVENT_WORDS > 255 || sizeof(struct tzu_event) % 4);
	if (!(fields & BIT(TZU_FIELD_HOOK)) || (fields & TZH_SEND_FIELDS) ||
	    (fields & ~GENMASK(TZU_FIELD_COUNT - 1, 0)))
		return false;
	bitmap_zero(words, TZH_EVENT_WORDS);
	for_each_set_bit(f, &bits, TZU_FIELD_COUNT) {
		/* size 0: a field id the table lacks would drop out of the key */
		if (!tzh_fields[f].size ||
		    (tzh_fields[f].off | tzh_fields[f].size) % 4)
			return false;
		bitmap_set(words, tzh_fields[f].off / 4,
			   tzh_fields[f].size / 4);
	}
	plan->n = 0;
	for_each_set_bitrange(start, end, words, TZH_EVENT_WORDS) {
		if (plan->n == TZH_PLAN_RUNS)
			return false;
		plan->run[plan->n].word = start;
		plan->run[plan->n].words = end - start;
		plan->n++;
		total += end - start;
	}
	return total <= TZH_KEY_WORDS;
}

/* One key word into the running hash (it only picks the set). */
static inline u32 tzh_hash_word(u32 h, u32 w)
{
	h = (h ^ w) * 0x9e3779b1u;
	return h ^ (h >> 16);
}

/*
 * The hash of @ev's key words under @plan, taken straight from the
 * event; with @key, the words are copied there too. Strings are compared
 * as their whole NUL-padded arrays: equal bytes are equal values; a
 * difference after the NUL only costs a miss. Inline: the lookup's copy
 * (no @key) has no store in its loop.
 */
static __always_inline u32 tzh_key_hash(const struct tzu_event *ev,
					const struct tzh_plan *plan, u32 *key)
{
	const u32 *w = (const u32 *)ev, *p;
	unsigned int r, i;
	u32 h = ev->hook;

	for (r = 0; r < plan->n; r++) {
		p = w + plan->run[r].word;
		for (i = 0; i < plan->run[r].words; i++) {
			h = tzh_hash_word(h, p[i]);
			if (key)
				*key++ = p[i];
		}
	}
	return h;
}

/* Whether @key holds @ev's key words under @plan. */
static bool tzh_key_equal(const u32 *key, const struct tzu_event *ev,
			  const struct tzh_plan *plan)
{
	const u32 *w = (const u32 *)ev, *p;
	unsigned int r, i;

	for (r = 0; r < plan->n; r++) {
		p = w + plan->run[r].word;
		for (i = 0; i < plan->run[r].words; i++)
			if (*key++ != p[i])
				return false;
	}
	return true;
}

/*
 * One use of @e's lease, counted in its word; false (the lease closed or
 * used up) ends the entry. Interrupts are off: the CPU, and so the word,
 * stays; only the secure world's exchange on another CPU can race, and
 * exactly one of the two wins.
 */
static bool tzh_lease_take(struct tzh_cache_entry *e)
{
	u32 *w = tzu_lease_word(e->lease_slot);
	u32 old;

	if (w) {
		old = READ_ONCE(*w);
		if (old >> TZU_LEASE_TICKET_SHIFT == e->lease_ticket &&
		    (old & TZU_LEASE_USES_MASK) < e->lease_uses &&
		    cmpxchg(w, old, old + 1) == old) {
			tzh_count(TZH_C_LEASE_USES);
			return true;
		}
	}
	e->epoch = 0;
	return false;
}

/**
 * tzh_cache_lookup() - a cached verdict for @ev, if this CPU has one
 * @ev: the event, subject and object filled in
 * @verdict: [out] TZU_VERDICT_* on a hit
 *
 * Context: any; interrupts off for the probe.
 * Return: true on a hit.
 */
bool tzh_cache_lookup(const struct tzu_event *ev, u32 *verdict)
{
	struct tzh_cache_entry *e;
	const struct tzh_plan *plan;
	u32 epoch, fields, hash, w;
	struct tzh_cache *c;
	unsigned long flags;
	bool hit = false;

	if (ev->hook >= TZU_HOOK_COUNT)
		return false;
	epoch = tzu_cache_epoch(ev->hook);
	if (!epoch)
		return false;
	local_irq_save(flags);
	c = this_cpu_ptr(&tzh_cache);
	if (c->hook_epoch[ev->hook] != epoch)
		goto out;
	fields = c->hook_fields[ev->hook];
	plan = &c->hook_plan[ev->hook];
	hash = tzh_key_hash(ev, plan, NULL);
	e = c->e[hash & (TZH_CACHE_SETS - 1)];
	for (w = 0; w < TZH_CACHE_WAYS; w++, e++) {
		if (e->epoch == epoch && e->hash == hash &&
		    e->hook == ev->hook && e->fields == fields &&
		    tzh_key_equal(e->key, ev, plan)) {
			if (e->lease_uses && !tzh_lease_take(e))
				break;
			*verdict = e->verdict;
			hit = true;
			break;
		}
	}
out:
	local_irq_restore(flags);
	return hit;
}

/* Ends every entry of this CPU that holds lease word @slot. */
static void tzh_lease_forget(struct tzh_cache *c, u32 slot)
{
	struct tzh_cache_entry *e = &c->e[0][0];
	unsigned int i;

	for (i = 0; i < TZH_CACHE_SETS * TZH_CACHE_WAYS; i++, e++)
		if (e->lease_uses && e->lease_slot == slot)
			e->epoch = 0;
}

/**
 * tzh_cache_insert() - remember a decision the secure world marked cacheable
 * @ev: the event it decided
 * @dec: the decision (status TZU_OK); anything not cacheable is ignored
 *
 * Context: any; interrupts off for the fill.
 */
void tzh_cache_insert(const struct tzu_event *ev,
		      const struct tzu_decision *dec)
{
	struct tzh_cache_entry *set, *e = NULL;
	u32 key[TZH_KEY_WORDS] = {};
	struct tzh_plan plan;
	struct tzh_cache *c;
	unsigned long flags;
	u32 hash, w, s;

	const bool lease = dec->flags & TZU_DF_LEASE;

	/* Belt and braces: what the kernel itself must carry out is never
	 * answered from the cache, whatever the flag says. A lease is an
	 * allow whose process state (TZU_DF_TASK_STATE) is already marked.
	 */
	if (!(dec->flags & (TZU_DF_CACHEABLE | TZU_DF_LEASE)) ||
	    !dec->cache_epoch || dec->obligations || dec->n_revoked ||
	    (dec->flags & TZU_DF_SESSION_OPENED) ||
	    ((dec->flags & TZU_DF_TASK_STATE) && !lease) ||
	    dec->verdict > TZU_VERDICT_DENY || ev->hook >= TZU_HOOK_COUNT)
		return;
	if (lease && ((dec->flags & TZU_DF_CACHEABLE) ||
		      dec->verdict != TZU_VERDICT_ALLOW || !dec->lease_ticket ||
		      dec->lease_ticket >> (32 - TZU_LEASE_TICKET_SHIFT) ||
		      dec->lease_slot >= TZU_LEASE_WORDS || !dec->lease_uses ||
		      dec->lease_uses > TZU_LEASE_MAX_USES))
		return;
	local_irq_save(flags);
	c = this_cpu_ptr(&tzh_cache);
	if (lease) {
		/*
		 * The word is the granting CPU's: after a migration since the
		 * call the lease is of no use here (it stays charged until the
		 * secure world closes it). Else one entry per word: an older
		 * one's lease is gone, whether this one is stored or not.
		 */
		if (dec->lease_cpu != smp_processor_id())
			goto out;
		tzh_lease_forget(c, dec->lease_slot);
	}
	if (!tzh_plan_make(dec->cache_fields, &plan))
		goto out;
	hash = tzh_key_hash(ev, &plan, key);
	s = hash & (TZH_CACHE_SETS - 1);
	c->hook_fields[ev->hook] = dec->cache_fields;
	c->hook_epoch[ev->hook] = dec->cache_epoch;
	c->hook_plan[ev->hook] = plan;
	set = c->e[s];
	/*
	 * An empty way or one of this hook from another epoch (stale) first,
	 * else round robin: another hook's entry may still be current, since
	 * each hook has its own epoch.
	 */
	for (w = 0; w < TZH_CACHE_WAYS && !e; w++)
		if (!set[w].epoch || (set[w].hook == ev->hook &&
				      set[w].epoch != dec->cache_epoch))
			e = &set[w];
	if (!e) {
		e = &set[c->next[s]];
		c->next[s] = (c->next[s] + 1) % TZH_CACHE_WAYS;
	}
	e->epoch = dec->cache_epoch;
	e->fields = dec->cache_fields;
	e->hash = hash;
	e->hook = ev->hook;
	e->verdict = dec->verdict;
	e->lease_slot = lease ? dec->lease_slot : 0;
	e->lease_uses = lease ? dec->lease_uses : 0;
	e->lease_ticket = lease ? dec->lease_ticket : 0;
	memcpy(e->key, key, sizeof(key));
	local_irq_restore(flags);
	tzh_count(TZH_C_CACHE_FILLS);
	return;
out:
	local_irq_restore(flags);
}
