console.log("hello from javascript, inside WebAssembly")
