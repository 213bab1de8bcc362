#!/usr/bin/env python3
"""Renders VyOS's own FRR templates with VyOS's own Jinja2 environment.

stdin: JSON {"templateDir": <reference/vyos/frr-templates>,
             "render": [{"name": ..., "template": "frr/bgpd.frr.j2", "context": {...}}, ...]}
stdout: JSON {name: rendered text}

The environment is vyos-1x's python/template.py itself (loaded from the reference copy):
`_get_environment` (trim_blocks, ChainableUndefined, jinja2.ext.loopcontrols) with every filter
and test the module registers (vyos_defined, natural_sort, ...), and `render_to_string` renders.
template.py imports four vyos modules at its top; none of their functions is called by the FRR
templates, so they are stand-ins here (the directories map points at the templates; the others
raise if ever called). VyOS keeps the templates under <templates>/frr/: a temporary directory
with an `frr` symlink to the reference copy gives the same names ('frr/static_routes_macro.j2').
"""
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import types


def _unavailable(name):
    def f(*args, **kwargs):
        raise RuntimeError(f"{name} is not available outside VyOS")
    return f


def load_template_module(template_dir, templates_root):
    stubs = {
        "vyos": {},
        "vyos.utils": {},
        "vyos.defaults": {"directories": {"templates": templates_root}},
        "vyos.utils.dict": {"dict_search_args": _unavailable("vyos.utils.dict.dict_search_args")},
        "vyos.utils.file": {"makedir": _unavailable("vyos.utils.file.makedir")},
        "vyos.utils.permission": {"chmod": _unavailable("vyos.utils.permission.chmod"),
                                  "chown": _unavailable("vyos.utils.permission.chown")},
    }
    for name, attrs in stubs.items():
        mod = types.ModuleType(name)
        mod.__dict__.update(attrs)
        mod.__path__ = []
        sys.modules[name] = mod
    spec = importlib.util.spec_from_file_location("vyos.template", os.path.join(template_dir, "python", "template.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["vyos.template"] = module
    spec.loader.exec_module(module)
    return module


def main():
    request = json.load(sys.stdin)
    template_dir = os.path.abspath(request["templateDir"])
    root = tempfile.mkdtemp(prefix="vyos-templates-")
    try:
        os.symlink(template_dir, os.path.join(root, "frr"))
        template = load_template_module(template_dir, root)
        out = {}
        for item in request["render"]:
            out[item["name"]] = template.render_to_string(item["template"], item["context"])
        json.dump(out, sys.stdout)
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
