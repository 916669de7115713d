// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// analyze.h - `policyctl analyze`: an attack model against a policy. Every
// step is judged by the real engine (analyze_eval.h), the attack graph is
// built and queried (analyze_graph.h), and the answers are one JSON report
// whose "prediction" member is the stable part other tools consume (shape
// in docs/attack-models.md).
#ifndef POLICYCTL_ANALYZE_H
#define POLICYCTL_ANALYZE_H

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "analyze_eval.h"
#include "analyze_model.h"
#include "compiler.h"
#include "event_json.h"

namespace policyctl {

constexpr int kAnalysisFormatVersion = 1;

struct AnalyzeOptions {
  std::size_t max_steps = 12;  // longest plan enumerated
  std::size_t max_paths = 32;  // plans listed per goal
  std::string model_file;
  std::string policy_file;     // "" with no policy
  std::string mode;            // "enforce"/"permissive" forced, "" = the policy's
};

struct AnalysisResult {
  Json report;
  std::string dot;  // Graphviz text of the attack graph
};

// policy: null for no policy (monitor off). verdicts[i] judges model.steps[i].
AnalysisResult analyze(const AttackModel& model, const std::vector<StepVerdict>& verdicts,
                       const policyc::CompileResult* policy, const AnalyzeOptions& opts);

// The human-readable summary `policyctl analyze` prints without --json.
void print_analysis(const Json& report, std::ostream& out);

}  // namespace policyctl

#endif  // POLICYCTL_ANALYZE_H
