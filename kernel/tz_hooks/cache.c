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
 * (struct tzu_shared_state) before it returns to the normal world, so a
 * few loads (tzu_cache_epoch()) tell whether an entry is still valid: an
 * entry of another epoch never answers.
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
#define TZH_EVENT_WORDS	(sizeof(struct tzu_event) / 4)

/**
 * struct tzh_cache_entry - one cached decision
 * @epoch:	cache epoch it was made in, 0: empty
 * @fields:	TZU_FIELD_* bits its key holds
 * @hash:	tzh_key_hash() of the key (picks the set, checked before it)
 * @hook:	TZU_HOOK_*
 * @verdict:	TZU_VERDICT_*
 * @lease_slot:	TZU_DF_LEASE: this CPU's lease word ...
 * @lease_word:	... and where it is (tzu_lease_word() at the fill); NULL: a
 *		plain cached decision
 * @lease_uses:	TZU_DF_LEASE: uses granted
 * @lease_ticket: TZU_DF_LEASE: the word's ticket while the lease lives
 * @key:	the values of @fields, word by word in event order (struct
 *		tzh_plan; as many words as they have: @fields fixes them)
 *
 * @lease_word stays valid memory as long as an entry can answer: a lookup
 * reads tzu_cache_epoch() first, in the same interrupts-off section, and
 * that is 0 for good once the driver retires the window (tz_driver's
 * fast.c; its removal waits for such sections with synchronize_rcu()).
 */
struct tzh_cache_entry {
	u32 epoch;
	u32 fields;
	u32 hash;
	u16 hook;
	u8 verdict;
	u8 lease_slot;
	u32 *lease_word;
	u16 lease_uses;
	u32 lease_ticket;
	u32 key[TZH_KEY_WORDS];
};

/**
 * struct tzh_plan - where a field set's key words are in an event
 * @n:		key words
 * @word:	@word[i] is the index (of a u32 in the event) of key word i,
 *		in event order
 *
 * Made once per field set (tzh_plan_make()), when a fill brings a hook's
 * fields; a lookup then copies nothing and reads the key's words straight
 * from the event, one indexed load each.
 */
struct tzh_plan {
	u8 n;
	u8 word[TZH_KEY_WORDS];
} __aligned(32);	/* a hook's plan at a shift, not a multiply */

/**
 * struct tzh_cache - one CPU's cache
 * @e:		entries, by set
 * @next:	per set, the way the next fill replaces (round robin)
 * @hook_fields: per hook, cache_fields of its last cacheable decision ...
 * @hook_epoch:	... and that decision's epoch (fields hold for it only)
 * @hook_plan:	... and the key layout of those fields (0 fields: none)
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

/**
 * tzh_fields_same() - whether two events hold the same bytes in @fields
 * @a: one event
 * @b: the other
 * @fields: TZU_FIELD_* bits; a bit the table does not know counts as a
 *	difference
 *
 * Context: any.
 * Return: true if every field of @fields is byte for byte the same.
 */
bool tzh_fields_same(const struct tzu_event *a, const struct tzu_event *b,
		     u32 fields)
{
	const u8 *pa = (const u8 *)a, *pb = (const u8 *)b;
	unsigned long bits = fields;
	unsigned int f;

	if (fields & ~GENMASK(TZU_FIELD_COUNT - 1, 0))
		return false;
	for_each_set_bit(f, &bits, TZU_FIELD_COUNT) {
		if (!tzh_fields[f].size)
			return false;
		if (memcmp(pa + tzh_fields[f].off, pb + tzh_fields[f].off,
			   tzh_fields[f].size))
			return false;
	}
	return true;
}

/*
 * The key layout of @fields into @plan: the hook's own field is the
 * entry's (not in the key); no field filled only at send; every field
 * known and made of whole aligned 32-bit words (every field of the ABI
 * is); at most TZH_KEY_WORDS words. Checked when a fill brings a field
 * set: a lookup uses only a plan a fill made. Return: false if @fields
 * cannot make a key.
 */
static bool tzh_plan_make(u32 fields, struct tzh_plan *plan)
{
	unsigned long bits = fields & ~BIT(TZU_FIELD_HOOK);
	DECLARE_BITMAP(words, TZH_EVENT_WORDS);
	unsigned int f, i;

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
	if (bitmap_weight(words, TZH_EVENT_WORDS) > TZH_KEY_WORDS)
		return false;
	plan->n = 0;
	for_each_set_bit(i, words, TZH_EVENT_WORDS)
		plan->word[plan->n++] = i;
	return true;
}

/*
 * The hash of @ev's key words under @plan (it only picks the set, and is
 * compared before the key), taken straight from the event: one rotate and
 * exclusive-or per word, one multiply at the end; with @key, the words
 * are copied there too. Strings are compared as their whole NUL-padded
 * arrays: equal bytes are equal values; a difference after the NUL only
 * costs a miss. Inline: the lookup's copy (no @key) has no store in its
 * loop.
 */
static __always_inline u32 tzh_key_hash(const struct tzu_event *ev,
					const struct tzh_plan *plan, u32 *key)
{
	const u32 *w = (const u32 *)ev;
	unsigned int i;
	u32 h = ev->hook, v;

	for (i = 0; i < plan->n; i++) {
		v = w[plan->word[i]];
		h = ror32(h, 5) ^ v;
		if (key)
			key[i] = v;
	}
	h *= 0x9e3779b1u;
	return h ^ (h >> 16);
}

/* Whether @key holds @ev's key words under @plan. */
static __always_inline bool tzh_key_equal(const u32 *key,
					  const struct tzu_event *ev,
					  const struct tzh_plan *plan)
{
	const u32 *w = (const u32 *)ev;
	unsigned int i;

	for (i = 0; i < plan->n; i++)
		if (key[i] != w[plan->word[i]])
			return false;
	return true;
}

/*
 * One use of @e's lease, counted in its word; false (the lease closed or
 * used up) ends the entry. Interrupts are off: the CPU, and so the word,
 * stays; only the secure world's exchange on another CPU can race, and
 * exactly one of the two wins. Relaxed: two read-modify-writes of one word
 * are ordered by themselves, and nothing else is read or written with it.
 */
static __always_inline bool tzh_lease_take(struct tzh_cache_entry *e,
					   struct tzh_counters *k)
{
	u32 *w = e->lease_word;
	u32 old = READ_ONCE(*w);

	if (old >> TZU_LEASE_TICKET_SHIFT == e->lease_ticket &&
	    (old & TZU_LEASE_USES_MASK) < e->lease_uses &&
	    cmpxchg_relaxed(w, old, old + 1) == old) {
		k->c[TZH_C_LEASE_USES]++;
		return true;
	}
	e->epoch = 0;
	return false;
}

/**
 * tzh_cache_probe() - count an event, and answer it if this CPU's cache can
 * @ev: the event; only the fields in @filled need hold its values (every
 *	other byte may be anything: none of them is read)
 * @filled: TZU_FIELD_* bits of the fields of @ev that are filled in
 * @verdict: [out] TZU_VERDICT_* on a hit
 *
 * The hook's current key (the field set its last fill brought) is tested
 * against @filled before a single key word is read: a key that needs a
 * field the caller has not filled is TZH_PROBE_UNFILLED, and the event is
 * not counted, so that the caller can fill it whole and look it up again
 * (tzh_decide()). Otherwise the event is counted here (hook_events), a
 * hit too (cached, cache_allowed or cache_denied, and lease_uses for a
 * lease's use), all under the probe's interrupts-off.
 *
 * Context: any; interrupts off for the probe.
 * Return: TZH_PROBE_HIT, TZH_PROBE_MISS or TZH_PROBE_UNFILLED.
 */
int tzh_cache_probe(const struct tzu_event *ev, u32 filled, u32 *verdict)
{
	const u32 hook = ev->hook;
	struct tzh_cache_entry *e;
	const struct tzh_plan *plan;
	u32 epoch, fields, hash, w;
	struct tzh_counters *k;
	struct tzh_cache *c;
	unsigned long flags;
	int ret = TZH_PROBE_MISS;

	local_irq_save(flags);
	k = this_cpu_ptr(&tzh_counters);
	epoch = tzu_cache_epoch(hook);	/* 0 for a hook out of range */
	c = this_cpu_ptr(&tzh_cache);
	if (!epoch || c->hook_epoch[hook] != epoch)
		goto count;
	fields = c->hook_fields[hook];
	if (unlikely(fields & ~filled)) {
		ret = TZH_PROBE_UNFILLED;
		goto out;
	}
	plan = &c->hook_plan[hook];
	hash = tzh_key_hash(ev, plan, NULL);
	e = c->e[hash & (TZH_CACHE_SETS - 1)];
	for (w = 0; w < TZH_CACHE_WAYS; w++, e++) {
		if (e->epoch != epoch || e->hash != hash || e->hook != hook ||
		    e->fields != fields || !tzh_key_equal(e->key, ev, plan))
			continue;
		if (e->lease_word && !tzh_lease_take(e, k))
			break;
		*verdict = e->verdict;
		k->cached[hook]++;
		k->c[e->verdict == TZU_VERDICT_ALLOW ? TZH_C_CACHE_ALLOWED :
			TZH_C_CACHE_DENIED]++;
		ret = TZH_PROBE_HIT;
		break;
	}
count:
	k->c[TZH_C_HOOK_EVENTS]++;
out:
	local_irq_restore(flags);
	return ret;
}

/* Ends every entry of this CPU that holds lease word @slot. */
static void tzh_lease_forget(struct tzh_cache *c, u32 slot)
{
	struct tzh_cache_entry *e = &c->e[0][0];
	unsigned int i;

	for (i = 0; i < TZH_CACHE_SETS * TZH_CACHE_WAYS; i++, e++)
		if (e->lease_word && e->lease_slot == slot)
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
	struct tzh_plan *plan;
	u32 *lease_word = NULL;
	struct tzh_cache *c;
	unsigned long flags;
	u32 hash, w, s;

	const bool lease = dec->flags & TZU_DF_LEASE;

	/* Belt and braces: what the kernel itself must carry out is never
	 * answered from the cache, whatever the flag says. A lease is an
	 * allow whose process state (TZU_DF_TASK_STATE) is already marked.
	 */
	if (!(dec->flags & (TZU_DF_CACHEABLE | TZU_DF_LEASE)) ||
	    !(dec->cache_fields & BIT(TZU_FIELD_HOOK)) ||
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
		lease_word = tzu_lease_word(dec->lease_slot);
		if (!lease_word)
			goto out;
	}
	/* A hook's plan is made again only when its field set changes. */
	plan = &c->hook_plan[ev->hook];
	if (c->hook_fields[ev->hook] != dec->cache_fields) {
		/*
		 * Until a plan is made, a key of no field and no word: no
		 * entry has it (each holds the hook's field), and a probe
		 * reads nothing of its event (found by review: the old
		 * plan's words, unfilled, picked the set of a miss).
		 */
		c->hook_fields[ev->hook] = 0;
		plan->n = 0;
		if (!tzh_plan_make(dec->cache_fields, plan))
			goto out;
		c->hook_fields[ev->hook] = dec->cache_fields;
	}
	hash = tzh_key_hash(ev, plan, key);
	s = hash & (TZH_CACHE_SETS - 1);
	c->hook_epoch[ev->hook] = dec->cache_epoch;
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
	e->lease_word = lease_word;
	e->lease_uses = lease ? dec->lease_uses : 0;
	e->lease_ticket = lease ? dec->lease_ticket : 0;
	memcpy(e->key, key, sizeof(key));
	local_irq_restore(flags);
	tzh_count(TZH_C_CACHE_FILLS);
	return;
out:
	local_irq_restore(flags);
}
