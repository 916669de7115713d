// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// eval.h - evaluates a validated policy's expression nodes against one event
// and the current attribute values. Read-only: never changes state.
#ifndef UCON_ENGINE_EVAL_H
#define UCON_ENGINE_EVAL_H

#include <stdint.h>

#include "attributes.h"
#include "engine.h"
#include "policy.h"

namespace ucon {

class Evaluator {
 public:
  Evaluator(const Policy& p, const AttributeStore& attrs,
            const struct tzu_event& ev, const Trace* trace)
      : p_(p), attrs_(attrs), ev_(ev), trace_(trace) {}

  // True if node (kNone = always) holds; `rule` is only for tracing.
  bool holds(uint32_t node, uint32_t rule) const;

 private:
  bool eval(uint32_t node, uint32_t rule) const;
  bool compare(const BlobNode& n) const;

  const Policy& p_;
  const AttributeStore& attrs_;
  const struct tzu_event& ev_;
  const Trace* trace_;
};

}  // namespace ucon

#endif  // UCON_ENGINE_EVAL_H
