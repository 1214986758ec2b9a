#pragma once
// Parsed template: expression and statement trees. Nodes are immutable after
// parsing, so one parsed template renders concurrently from many threads.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer/jinja/builtins.h"
#include "tokenizer/jinja/value.h"

namespace cellar::jinja {

enum class ExprKind : uint8_t {
  kConst,     // value
  kName,      // name
  kList,      // children = items
  kTuple,     // children = items
  kDict,      // children = k0, v0, k1, v1, ...
  kAttr,      // children[0].name
  kItem,      // children[0][children[1]]
  kSlice,     // children[0][children[1]:children[2]:children[3]] (null = omitted)
  kCall,      // children[0](children[1..], kwargs)
  kFilter,    // children[0] | name(children[1..], kwargs); children[0] null in filter blocks
  kTest,      // children[0] is [not] name(children[1..], kwargs)
  kNot,       // not children[0]
  kNeg,       // -children[0]
  kPos,       // +children[0]
  kBinary,    // children[0] op children[1]
  kCompare,   // children[0] ops[0] children[1] ops[1] children[2] ...
  kAnd,
  kOr,
  kConcat,    // children joined with ~
  kCond,      // children[0] if children[1] else children[2] (null = undefined)
};

enum class BinOp : uint8_t { kAdd, kSub, kMul, kDiv, kFloorDiv, kMod, kPow };
enum class CmpOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind;
  size_t offset = 0;  // source position, for runtime error messages
  std::string name;
  Value value;
  BinOp op = BinOp::kAdd;
  bool negated = false;  // `is not`
  std::vector<ExprPtr> children;
  std::vector<std::pair<std::string, ExprPtr>> kwargs;
  std::vector<CmpOp> cmp_ops;
  ExprPtr star_args;    // f(*args)
  ExprPtr star_kwargs;  // f(**kwargs)
  FilterFn filter_fn = nullptr;  // kFilter, resolved at parse time
  TestFn test_fn = nullptr;      // kTest
};

enum class StmtKind : uint8_t {
  kText,
  kOutput,
  kIf,
  kFor,
  kSet,
  kSetBlock,
  kMacro,
  kCallBlock,
  kFilterBlock,
  kWith,
  kBreak,
  kContinue,
  kScope,  // a body rendered in place (generation blocks)
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

struct MacroParam {
  std::string name;
  ExprPtr default_value;  // null = required
};

struct Stmt {
  StmtKind kind;
  size_t offset = 0;
  std::string text;                               // kText; kMacro name; kSet/kSetBlock name
  ExprPtr expr;                                   // kOutput; kSet value; kFor iterable; kCallBlock call
  std::vector<std::pair<ExprPtr, Body>> branches; // kIf: (condition, body); else has null condition
  std::vector<std::string> targets;               // kFor / kSet names (tuple unpacking when > 1)
  ExprPtr target_object;                          // kSet `ns.attr`: the object; text = attribute
  ExprPtr condition;                              // kFor loop filter
  bool recursive = false;                         // kFor
  Body body;
  Body else_body;                                 // kFor
  std::vector<MacroParam> params;                 // kMacro / kCallBlock caller params
  std::vector<ExprPtr> filters;                   // kFilterBlock / kSetBlock: filter chain
  std::vector<std::pair<std::string, ExprPtr>> assignments;  // kWith
};

}  // namespace cellar::jinja
