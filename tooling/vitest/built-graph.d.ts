/** What a built entry loads statically: its files, the packages they import, the sources bundled into them (see built-graph.js). */
export declare function builtGraph(entry: string): { files: Set<string>; bare: Set<string>; sources: Set<string> };
