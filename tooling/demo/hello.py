print("hello from python, inside WebAssembly")
