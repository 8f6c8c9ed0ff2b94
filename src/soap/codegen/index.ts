/**
 * The contract entry point of the engine: loading a WSDL into a ContractModel and generating the typed
 * code (src/generated/) from codegen.json. Code outside src/soap imports these from here only.
 */
export { CODEGEN_CONFIG_FILE, readCodegenConfig, runCodegen } from './run';
export type { CodegenChange, CodegenEntry } from './run';
export { loadContract, ContractLoadError } from '../wsdl/load';
export { CodegenError } from './generate';
export type { LoadContractOptions } from '../wsdl/load';
