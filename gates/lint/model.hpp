#pragma once

// The workflow model (gates/workflow) under the names lint's rules and linter use.
#include "workflow/calls.hpp"
#include "workflow/environments.hpp"
#include "workflow/expressions.hpp"
#include "workflow/files.hpp"
#include "workflow/workflow.hpp"

namespace shipgate::lint {

using workflow::Binding;
using workflow::EnvironmentNames;
using workflow::Files;
using workflow::InputValue;
using workflow::Job;
using workflow::LocalCall;
using workflow::PassedSecrets;
using workflow::Scope;
using workflow::Step;
using workflow::Trigger;
using workflow::Workflow;

using workflow::bind_call;
using workflow::build_model;
using workflow::build_workflow;
using workflow::call_root;
using workflow::callee_file;
using workflow::collect_files;
using workflow::environment_names;
using workflow::environment_scope;
using workflow::has_expression;
using workflow::k_max_call_depth;
using workflow::local_calls;
using workflow::lookup_reference;
using workflow::resolve;
using workflow::secret_reference;

}  // namespace shipgate::lint
