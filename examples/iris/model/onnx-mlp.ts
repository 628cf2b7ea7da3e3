// Writes a multilayer perceptron as an ONNX model with the ONNX protobuf schema (onnx-proto):
// one Gemm per dense layer, Relu between layers, Softmax at the end. The input is
// float[N, inputs] with a symbolic batch dimension N, the output float[N, classes] of
// probabilities. Used by the Iris example's training script and by the batching benchmark's
// heavy model, so both models go through the same, small writer.
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/** Opset 13: Softmax over one axis (the class axis here), Gemm with a bias broadcast over the batch. */
export const OPSET_VERSION = 13;
/** The batch dimension's name in the model's input and output shapes. */
export const BATCH_DIM = "N";

export interface DenseLayer {
  inputs: number;
  outputs: number;
  /** Row-major [inputs][outputs]: y = x · weights + bias. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface MlpModel {
  name: string;
  /** What the model is, for the ONNX model's doc string. */
  doc: string;
  layers: readonly DenseLayer[];
  inputName?: string;
  outputName?: string;
}

/** The ONNX model as protobuf bytes, ready to write to `*.onnx` or hand to an InferenceSession. */
export function mlpToOnnx(model: MlpModel): Uint8Array {
  const inputName = model.inputName ?? "features";
  const outputName = model.outputName ?? "probabilities";
  if (model.layers.length === 0) throw new Error("an MLP needs at least one layer");
  const nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  const initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  let current = inputName;
  model.layers.forEach((layer, index) => {
    checkLayer(layer, index, model.layers[index - 1]);
    const weights = `dense${index}.weight`;
    const bias = `dense${index}.bias`;
    initializers.push(floatTensor(weights, [layer.inputs, layer.outputs], layer.weights), floatTensor(bias, [layer.outputs], layer.bias));
    const linear = `dense${index}.out`;
    nodes.push(onnx.NodeProto.create({ name: `dense${index}`, opType: "Gemm", input: [current, weights, bias], output: [linear] }));
    const last = index === model.layers.length - 1;
    const activated = last ? outputName : `relu${index}.out`;
    nodes.push(
      last
        ? onnx.NodeProto.create({ name: "softmax", opType: "Softmax", input: [linear], output: [activated], attribute: [intAttribute("axis", -1)] })
        : onnx.NodeProto.create({ name: `relu${index}`, opType: "Relu", input: [linear], output: [activated] }),
    );
    current = activated;
  });
  const first = model.layers[0]!;
  const last = model.layers[model.layers.length - 1]!;
  const graph = onnx.GraphProto.create({
    name: model.name,
    node: nodes,
    initializer: initializers,
    input: [floatValue(inputName, first.inputs)],
    output: [floatValue(outputName, last.outputs)],
  });
  const proto = onnx.ModelProto.create({
    // IR version 7 is what opset 13 shipped with; every onnxruntime since 1.6 reads it.
    irVersion: 7,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: "", version: OPSET_VERSION })],
    producerName: "bentoc",
    docString: model.doc,
    graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}

function checkLayer(layer: DenseLayer, index: number, previous: DenseLayer | undefined): void {
  if (layer.weights.length !== layer.inputs * layer.outputs) throw new Error(`layer ${index}: ${layer.weights.length} weights for ${layer.inputs}×${layer.outputs}`);
  if (layer.bias.length !== layer.outputs) throw new Error(`layer ${index}: ${layer.bias.length} biases for ${layer.outputs} outputs`);
  if (previous && previous.outputs !== layer.inputs) throw new Error(`layer ${index} takes ${layer.inputs} inputs but layer ${index - 1} gives ${previous.outputs}`);
}

function floatTensor(name: string, dims: number[], values: Float32Array) {
  // raw_data is little-endian whatever the machine.
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes });
}

/** A float[N, width] graph input or output. */
function floatValue(name: string, width: number) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: onnx.TensorShapeProto.create({ dim: [{ dimParam: BATCH_DIM }, { dimValue: width }] }),
      }),
    }),
  });
}

function intAttribute(name: string, value: number) {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: value });
}
