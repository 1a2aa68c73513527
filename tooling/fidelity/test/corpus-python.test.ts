import { describeCorpus } from "./describe-corpus.js";

describeCorpus("python");
