#include "core/gate.hpp"
#include "slug/slug.hpp"

int main(int argc, char** argv) {
  return shipgate::run_gate(*shipgate::slug::make_gate(), shipgate::invocation_from_main(argc, argv));
}
