#pragma once
// The steps a list form charges for each item it goes through (weigh.cpp).
#include "interpreter/program.hpp"

namespace merit {

/// Sets each list form's `per_item`: one step, and one for each node of the expressions it evaluates for
/// an item (element and condition, sort keys, tie keys). Called once on a program that checked without
/// errors, after inlining, whose bodies count where they are evaluated.
void weigh_list_forms(const Program& program);

}  // namespace merit
