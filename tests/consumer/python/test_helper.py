"""pacifica_notifications_consumer pieces that do not need services: metadata, bundles, paths."""

import hashlib
import io
import json
import os
import tarfile
import tempfile
import unittest

from pacifica_notifications_consumer import _cartd, _ingest, upload, Config
from pacifica_notifications_consumer.jsonpath2 import Path

ATTRS = {'Transactions.submitter': 10, 'Transactions.proposal': '1234a',
         'Transactions.instrument': 54}


class MetadataTest(unittest.TestCase):
    def test_proposal_is_uploaded_as_project(self):
        records = _ingest.transaction_records(ATTRS, {'Transactions._id': 1301})
        self.assertIn({'destinationTable': 'Transactions.project', 'value': '1234a'}, records)
        self.assertIn({'destinationTable': 'TransactionKeyValue', 'key': 'Transactions._id',
                       'value': 1301}, records)

    def test_a_missing_attribute_is_refused(self):
        with self.assertRaisesRegex(ValueError, r'upload needs Transactions.instrument'):
            _ingest.transaction_records({'Transactions.submitter': 10,
                                         'Transactions.project': 'p'}, {})

    def test_transaction_id_cannot_be_uploaded(self):
        with self.assertRaisesRegex(ValueError, 'ingest assigns it'):
            _ingest.transaction_records(dict(ATTRS, **{'Transactions._id': 5}), {})

    def test_bundle_has_data_members_and_metadata_last(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, 'run-01'))
            with open(os.path.join(tmp, 'run-01', 'a.txt'), 'wb') as stream:
                stream.write(b'HELLO\n')
            out = io.BytesIO()
            metadata = _ingest.build_bundle(tmp, ATTRS, {}, out)
        out.seek(0)
        with tarfile.open(fileobj=out) as bundle:
            self.assertEqual(bundle.getnames(), ['data/run-01/a.txt', 'metadata.txt'])
            self.assertEqual(json.loads(bundle.extractfile('metadata.txt').read()), metadata)
        files = [m for m in metadata if m['destinationTable'] == 'Files']
        self.assertEqual(files[0]['subdir'], 'run-01')
        self.assertEqual(files[0]['size'], 6)
        self.assertEqual(files[0]['mimetype'], 'text/plain')
        self.assertEqual(files[0]['hashsum'], hashlib.sha1(b'HELLO\n').hexdigest())

    def test_upload_without_a_reachable_ingest_rejects(self):
        config = Config('http://127.0.0.1:9', 'http://127.0.0.1:9/upload',
                        'http://127.0.0.1:9/get_state')
        with tempfile.TemporaryDirectory() as tmp:
            result = upload(tmp, ATTRS, {}, config=config)
        self.assertTrue(result.is_rejected)
        with self.assertRaisesRegex(Exception, 'POST http://127.0.0.1:9/upload failed'):
            result.get()


class PathsTest(unittest.TestCase):
    def test_subdir_with_dotdot_is_refused(self):
        with self.assertRaisesRegex(ValueError, 'unsafe subdir'):
            _cartd.relative_path({'_id': 1, 'name': 'x', 'subdir': 'a/../../b'})

    def test_empty_parts_of_subdir_are_dropped(self):
        self.assertEqual(_cartd.relative_path({'_id': 1, 'name': 'x', 'subdir': 'a/b/'}), 'a/b/x')


class JsonPathStandInTest(unittest.TestCase):
    EVENT = {'data': [{'destinationTable': 'Files', 'mimetype': 'text/plain', '_id': 1},
                      {'destinationTable': 'Files', 'mimetype': 'image/png', '_id': 2}]}

    def test_filter_tests_the_current_node(self):
        path = Path.parse_str('$["data"][*][?(@["mimetype"] = "text/plain")]["_id"]')
        self.assertEqual([(m.current_value, m.node.tojsonpath()) for m in path.match(self.EVENT)],
                         [(1, '$["data"][0]["_id"]')])

    def test_or_binds_tighter_than_and(self):
        # A or B and C == (A or B) and C
        path = Path.parse_str('$[?(@["x"] or @["data"] and @["nope"])]')
        self.assertEqual(list(path.match(self.EVENT)), [])

    def test_functions_are_reported_as_unsupported(self):
        with self.assertRaisesRegex(ValueError, r'length\(\) is not supported'):
            Path.parse_str('$["data"].length()')


if __name__ == '__main__':
    unittest.main()
