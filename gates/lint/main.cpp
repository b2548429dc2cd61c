#include "core/invocation.hpp"
#include "lint/lint.hpp"

int main(int argc, char** argv) {
  return shipgate::lint::run(shipgate::invocation_from_main(argc, argv));
}
