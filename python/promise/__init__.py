"""A minimal, standard-library stand-in for the `promise` package (Promises/A+ style).

Installed by start-pacifica-notifications-consumer into consumer venvs that cannot reach a
package index. Executors and callbacks run synchronously, so a promise is settled as soon as it
is created: exactly what the documented consumer example relies on (it never waits).

A rejection that nobody handled by the time the interpreter exits is reported (stderr and the
runner's job report), because an exception inside a callback never changes the exit status.
"""

import atexit
import json
import os
import sys
import traceback

__all__ = ['Promise', 'is_thenable']
__version__ = '0.0.0+pnshim'

_PENDING, _FULFILLED, _REJECTED = 'pending', 'fulfilled', 'rejected'
_unhandled = []


def is_thenable(value):
    return isinstance(value, Promise) or callable(getattr(value, 'then', None))


class Promise(object):
    """Promise(executor) where executor(resolve, reject) runs immediately."""

    def __init__(self, executor=None):
        self._state = _PENDING
        self._value = None
        self._handled = False
        self._callbacks = []
        if executor is not None:
            try:
                executor(self._resolve, self._reject)
            except BaseException as exc:  # pylint: disable=broad-except
                self._reject(exc)

    # --- settling -------------------------------------------------------------------------
    def _resolve(self, value=None):
        if self._state != _PENDING:
            return
        if value is self:
            self._reject(TypeError('a promise cannot be resolved with itself'))
            return
        if is_thenable(value):
            if isinstance(value, Promise):
                value._handled = True
            value.then(self._resolve, self._reject)
            return
        self._settle(_FULFILLED, value)

    def _reject(self, reason=None):
        if self._state != _PENDING:
            return
        if not isinstance(reason, BaseException):
            reason = Exception(reason)
        self._settle(_REJECTED, reason)
        if not self._handled:
            _unhandled.append(self)

    def _settle(self, state, value):
        self._state, self._value = state, value
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    # --- public API -----------------------------------------------------------------------
    def then(self, did_fulfill=None, did_reject=None):
        self._handled = True
        child = Promise()

        def run():
            handler = did_fulfill if self._state == _FULFILLED else did_reject
            if handler is None:
                if self._state == _FULFILLED:
                    child._resolve(self._value)
                else:
                    child._reject(self._value)
                return
            try:
                child._resolve(handler(self._value))
            except BaseException as exc:  # pylint: disable=broad-except
                child._reject(exc)

        if self._state == _PENDING:
            self._callbacks.append(run)
        else:
            run()
        return child

    def catch(self, did_reject):
        return self.then(None, did_reject)

    def done(self, did_fulfill=None, did_reject=None):
        self.then(did_fulfill, did_reject)

    def get(self, timeout=None):  # pylint: disable=unused-argument
        """The value, or raises the rejection reason (the promise is already settled)."""
        self._handled = True
        if self._state == _PENDING:
            raise RuntimeError('promise is still pending; this stand-in cannot wait')
        if self._state == _REJECTED:
            raise self._value
        return self._value

    @property
    def value(self):
        return self._value if self._state == _FULFILLED else None

    @property
    def reason(self):
        return self._value if self._state == _REJECTED else None

    @property
    def is_pending(self):
        return self._state == _PENDING

    @property
    def is_fulfilled(self):
        return self._state == _FULFILLED

    @property
    def is_rejected(self):
        return self._state == _REJECTED

    @classmethod
    def resolve(cls, value=None):
        return value if isinstance(value, Promise) else cls(lambda res, rej: res(value))

    @classmethod
    def reject(cls, reason):
        return cls(lambda res, rej: rej(reason))

    @classmethod
    def all(cls, values):
        results = []
        for value in values:
            promise = cls.resolve(value)
            if promise.is_rejected:
                return cls.reject(promise.reason)
            results.append(promise.get())
        return cls.resolve(results)

    @classmethod
    def promisify(cls, func):
        def wrapper(*args, **kwargs):
            return cls(lambda res, rej: res(func(*args, **kwargs)))
        return wrapper


def _report_unhandled():
    pending = [p for p in _unhandled if not p._handled]  # pylint: disable=protected-access
    if not pending:
        return
    report = os.environ.get('PN_CONSUMER_REPORT')
    for promise in pending:
        reason = promise._value  # pylint: disable=protected-access
        text = ''.join(traceback.format_exception(type(reason), reason, reason.__traceback__))
        sys.stderr.write('Unhandled promise rejection:\n' + text)
        if report:
            with open(report, 'a', encoding='utf-8') as stream:
                stream.write(json.dumps({'op': 'promise', 'ok': False,
                                         'error': '{}: {}'.format(type(reason).__name__, reason)}) + '\n')


atexit.register(_report_unhandled)
