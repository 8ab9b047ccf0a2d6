const id=10,ids=[10],modules={5010:(module=>{module.exports=eval("require")("kerberos")})};export{id,ids,modules};
