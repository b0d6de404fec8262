// A non-owning reference to a callable, so the evaluator can pass continuations without the heap
// allocation std::function may make. The referenced callable must outlive the call.
// Thread-safety: a plain pointer pair; as safe as the callable it refers to.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace pn::jsonpath::internal {

template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F,
            typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FunctionRef>>>
  FunctionRef(F&& f)  // NOLINT: implicit by design, like absl::FunctionRef
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* object, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(object))(std::forward<Args>(args)...);
        }) {}

  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

}  // namespace pn::jsonpath::internal
