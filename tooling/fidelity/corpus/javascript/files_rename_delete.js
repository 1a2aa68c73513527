for (let i = 0; i < 10; i++) writeText(`/app/work/in/file${i}.txt`, String(i).repeat(i + 1));
for (const name of listFiles("/app/work/in")) {
  const n = Number(name.slice(4, -4));
  if (n % 2 === 0) {
    copyFile(`/app/work/in/${name}`, `/app/work/out/even_${n}.txt`);
    removeFile(`/app/work/in/${name}`);
  } else if (n % 3 === 0) removeFile(`/app/work/in/${name}`);
}
console.log(JSON.stringify(listFiles("/app/work/in")));
console.log(JSON.stringify(listFiles("/app/work/out")));
copyFile("/app/work/out/even_4.txt", "/app/work/copy.txt");
console.log(readText("/app/work/copy.txt"), fileExists("/app/work/in/file3.txt"));
try { readText("/app/work/in/file0.txt"); } catch (e) { console.log("missing:", e.code); }
