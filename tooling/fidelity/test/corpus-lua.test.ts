import { describeCorpus } from "./describe-corpus.js";

describeCorpus("lua");
