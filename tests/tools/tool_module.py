"""Loads a script of tools/ (no .py suffix) as a module, for the tests beside this file."""

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_tool(script: str, module_name: str):
    """tools/SCRIPT as module MODULE_NAME (registered in sys.modules: dataclasses look their module up)."""
    if module_name in sys.modules:
        return sys.modules[module_name]
    loader = importlib.machinery.SourceFileLoader(module_name, str(ROOT / "tools" / script))
    spec = importlib.util.spec_from_loader(module_name, loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    loader.exec_module(module)
    return module
