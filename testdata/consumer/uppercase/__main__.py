#!/usr/bin/env python3

import json
import os
import shutil
import sys

from jsonpath2 import Path
from pacifica_notifications_consumer import download, upload
from promise import Promise

# execute only if run as a top-level script
if __name__ == '__main__':
    # path to directory for input CloudEvents notification
    orig_event_path = sys.argv[1]

    # path to directory for output CloudEvents notification
    new_event_path = sys.argv[2]

    def upload_did_fulfill(d):
        """Callback for Pacifica uploader promise's eventual value.

        Args:
            d (dict): CloudEvents notification.

        Returns:
            Promise[bool]: True for success, False otherwise.

        Raises:
            BaseException: If an error occurs.
        """

        # delete entire directory tree for input CloudEvents notification
        shutil.rmtree(orig_event_path, ignore_errors=True)

        # delete entire directory tree for output CloudEvents notification
        shutil.rmtree(new_event_path, ignore_errors=True)

        # return True for success
        return Promise(lambda resolve, reject: resolve(True))

    def download_did_fulfill(d):
        """Callback for Pacifica downloader promise's eventual value.

        Args:
            d (dict): CloudEvents notification.

        Returns:
            Promise[bool]: True for success, False otherwise.

        Raises:
            BaseException: If an error occurs.
        """

        # iterate over plain-text files
        for file_d in [match_data.current_value for match_data in Path.parse_str('$["data"][*][?(@["destinationTable"] = "Files" and @["mimetype"] = "text/plain")]').match(d)]:
            # open input data file
            with open(os.path.join(orig_event_path, 'downloads', file_d['subdir'], file_d['name']), 'r') as orig_file:
                # open output data file
                with open(os.path.join(new_event_path, 'uploads', file_d['subdir'], file_d['name']), 'w') as new_file:
                    # read input data file, convert cased characters to uppercase, and then
                    # write output data file
                    new_file.write(orig_file.read().upper())

        # invoke Pacifica uploader with specified transaction attributes and key-value pairs
        return upload(new_event_path, {
            'Transactions.instrument': [match_data.current_value for match_data in Path.parse_str('$["data"][*][?(@["destinationTable"] = "Transactions.instrument")]["value"]').match(d)][0],
            'Transactions.proposal': [match_data.current_value for match_data in Path.parse_str('$["data"][*][?(@["destinationTable"] = "Transactions.proposal")]["value"]').match(d)][0],
            'Transactions.submitter': [match_data.current_value for match_data in Path.parse_str('$["data"][*][?(@["destinationTable"] = "Transactions.submitter")]["value"]').match(d)][0],
        }, {
            'Transactions._id': [match_data.current_value for match_data in Path.parse_str('$["data"][*][?(@["destinationTable"] = "Transactions._id")]["value"]').match(d)][0],
        }).then(upload_did_fulfill)

    # invoke Pacifica downloader
    download(orig_event_path).then(download_did_fulfill)
