// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// node_text.h - renders compiled expression nodes back into readable text
// (`subject.uid == 0`, `object.prot bits_all 0x4`, `(a && !b)`) with the
// field names of fields.h and the blob's pool: infix symbols for eq..ge, the
// policy language's operator names for the others, attributes as attr.NAME.
// Also shows the event-side value a failed comparison saw. Used by
// `policyctl explain`.
#ifndef POLICYCTL_NODE_TEXT_H
#define POLICYCTL_NODE_TEXT_H

#include <cstdint>
#include <string>

#include "blob_view.h"
#include "tzucon_abi.h"

namespace policyctl {

// Whole expression rooted at `node`; "true" for kNone (no predicate).
std::string render_node(const BlobView& b, std::uint32_t node);

// True for nodes that compare operands (not and/or/not/true/false).
bool is_comparison(const BlobView& b, std::uint32_t node);

// What the left operand of a comparison was for this event, e.g.
// "subject.uid = 1000". Attributes show the value a freshly loaded policy
// has (explain decides one event on a new engine): the declared initial
// value, or "absent". Empty for non-comparison nodes.
std::string operand_value(const BlobView& b, std::uint32_t node,
                          const tzu_event& ev);

}  // namespace policyctl

#endif  // POLICYCTL_NODE_TEXT_H
