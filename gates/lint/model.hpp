#pragma once

// The workflow model (gates/workflow) under the names lint's rules and linter use.
#include "workflow/calls.hpp"
#include "workflow/environments.hpp"
#include "workflow/expressions.hpp"
#include "workflow/files.hpp"
#include "workflow/workflow.hpp"

namespace shipgate::lint {

using workflow::EnvironmentNames;
using workflow::Files;
using workflow::Job;
using workflow::LocalCall;
using workflow::Scope;
using workflow::Step;
using workflow::String;
using workflow::Workflow;

using workflow::build_model;
using workflow::collect_files;
using workflow::environment_names;
using workflow::environment_scope;
using workflow::has_expression;
using workflow::lookup_reference;
using workflow::resolve;
using workflow::version_comment;

}  // namespace shipgate::lint
