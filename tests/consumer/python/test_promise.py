"""The offline `promise` stand-in: synchronous settling, chaining, rejection reporting."""

import os
import subprocess
import sys
import tempfile
import unittest

from promise import Promise
import promises


class PromiseTest(unittest.TestCase):
    def test_executor_runs_at_once_and_then_sees_the_value(self):
        seen = []
        Promise(lambda resolve, reject: resolve(3)).then(seen.append)
        self.assertEqual(seen, [3])

    def test_then_returning_a_promise_is_flattened(self):
        chained = Promise.resolve(1).then(lambda v: Promise(lambda res, rej: res(v + 1)))
        self.assertEqual(chained.get(), 2)

    def test_an_exception_in_a_callback_rejects_the_next_promise(self):
        chained = Promise.resolve(1).then(lambda v: 1 / 0)
        self.assertTrue(chained.is_rejected)
        self.assertIsInstance(chained.reason, ZeroDivisionError)
        self.assertEqual(chained.catch(lambda e: 'handled').get(), 'handled')

    def test_rejection_skips_fulfilment_handlers(self):
        seen = []
        Promise.reject(ValueError('no')).then(seen.append).catch(lambda e: seen.append(str(e)))
        self.assertEqual(seen, ['no'])

    def test_all_collects_values(self):
        self.assertEqual(Promise.all([1, Promise.resolve(2)]).get(), [1, 2])

    def test_promises_is_the_same_class(self):
        self.assertIs(promises.Promise, Promise)

    def test_an_unhandled_rejection_is_reported_at_exit(self):
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, 'report.jsonl')
            env = dict(os.environ, PN_CONSUMER_REPORT=report)
            code = 'from promise import Promise\nPromise.resolve(1).then(lambda v: 1 / 0)\n'
            done = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True)
            self.assertEqual(done.returncode, 0)
            self.assertIn('Unhandled promise rejection', done.stderr)
            with open(report, encoding='utf-8') as stream:
                self.assertEqual(stream.read(),
                                 '{"op": "promise", "ok": false, "error": "ZeroDivisionError: division by zero"}\n')


if __name__ == '__main__':
    unittest.main()
