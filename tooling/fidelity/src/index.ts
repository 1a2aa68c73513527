export { CORPUS_LANGUAGES, EXTENSIONS, corpusDir, loadCorpus, type CorpusLanguage, type CorpusProgram } from "./corpus.js";
export { runCorpusProgram, defaultFuelBudget, type CorpusRun, type RunCorpusOptions } from "./run-corpus.js";
export { NATIVE, nativeInterpreter, runNative, type NativeInterpreter } from "./native.js";
