"""Writes the options oslo.messaging lists for its configuration (oslo_messaging.opts.list_opts,
what oslo-config-generator reads) in the rabbit driver's groups, with their defaults, deprecated
names and deprecation flags, as JSON:  dump_options.py OUT_JSON
"""

import importlib.metadata
import json
import os
import sys

from oslo_messaging import opts

GROUPS = ('DEFAULT', 'oslo_messaging_rabbit', 'oslo_messaging_notifications')


def plain(value):
    return value if isinstance(value, (str, int, float, bool, type(None), list)) else str(value)


def oslo_version():
    # 18.1.0 runs from a source folder on PYTHONPATH with PBR_VERSION set; the installed
    # distribution's metadata (Debian's 14.0.3) says nothing about it.
    return os.environ.get('PBR_VERSION') or importlib.metadata.version('oslo.messaging')


def main():
    out = []
    for group, options in opts.list_opts():
        group = group or 'DEFAULT'
        if group not in GROUPS:
            continue
        for o in options:
            out.append({
                # hostname and processname default to this machine's and program's names: a
                # sample stands in for those, as in oslo's generated sample configuration
                'group': group, 'name': o.name, 'type': type(o).__name__,
                'default': plain(o.default if o.sample_default is None else o.sample_default),
                'default_is_sample': o.sample_default is not None,
                'deprecated_names': ['%s/%s' % (d.group or group, d.name or o.name) for d in o.deprecated_opts],
                'deprecated_for_removal': bool(o.deprecated_for_removal),
                'min': getattr(getattr(o, 'type', None), 'min', None),
                'max': getattr(getattr(o, 'type', None), 'max', None),
            })
    version = oslo_version()
    with open(sys.argv[1], 'w') as fh:
        json.dump({'description': 'Options oslo.messaging %s lists (oslo_messaging.opts.list_opts) in'
                                  ' the groups %s' % (version, ', '.join(GROUPS)),
                   'oslo_messaging': version, 'options': out}, fh, indent=1)
        fh.write('\n')


if __name__ == '__main__':
    main()
